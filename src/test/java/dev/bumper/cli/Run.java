package dev.bumper.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of bumper, as a user would see it: exit code, stdout, stderr. */
record Run(int code, String out, String err) {
  /** Runs bumper in this JVM, without colour. */
  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    int code = Main.run(args, o, e, Map.of("NO_COLOR", "1", "TERM", "dumb"));
    o.flush();
    e.flush();
    return new Run(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
  }
}

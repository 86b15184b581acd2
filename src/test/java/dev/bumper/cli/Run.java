package dev.bumper.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of bumper, as a user would see it: exit code, stdout, stderr. */
record Run(int code, String out, String err) {
  /** Runs bumper in this JVM, without colour. */
  static Run run(String... args) {
    return runWith(Map.of(), args);
  }

  /** Runs bumper in this JVM, without colour, with more environment variables. */
  static Run runWith(Map<String, String> extraEnv, String... args) {
    java.util.Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("NO_COLOR", "1");
    env.put("TERM", "dumb");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    int code = Main.run(args, o, e, env);
    o.flush();
    e.flush();
    return new Run(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
  }
}

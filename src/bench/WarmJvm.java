import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * bumper in one JVM kept running between the benchmarks' runs: the contender that shows what a
 * run costs once classes are loaded and the JIT has compiled the code, against the same run in a
 * fresh process. Not a way to run bumper: every CI job starts a new JVM.
 *
 * <p>{@code java -cp bumper.jar src/bench/WarmJvm.java REQUEST REPLY ERRORS} (two named pipes and
 * a file). A client writes one run's arguments to REQUEST, one per line, and closes it; this
 * program runs them through bumper's in-process entry point, writes the run's standard error to
 * ERRORS and then the exit code, on one line, to REPLY. An empty request ends it.
 */
public final class WarmJvm {
  private WarmJvm() {}

  public static void main(String[] args) throws Exception {
    Path request = Path.of(args[0]);
    Path reply = Path.of(args[1]);
    Path errors = Path.of(args[2]);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    while (true) {
      // opening the pipe waits for a client; reading it ends when the client closes it
      List<String> run = Files.readAllLines(request, StandardCharsets.UTF_8);
      if (run.isEmpty()) {
        return;
      }
      StringWriter err = new StringWriter();
      long cpu = os.getProcessCpuTime();
      int code;
      try {
        code = dev.bumper.cli.Main.run(
            run.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err), System.getenv());
      } catch (RuntimeException | Error e) {
        e.printStackTrace(new PrintWriter(err, true));
        code = 70;
      }
      Files.writeString(errors, err.toString(), StandardCharsets.UTF_8);
      // the run's CPU time in seconds beside the code: the client's own is all a timer sees
      Files.writeString(reply, code + " " + (os.getProcessCpuTime() - cpu) / 1e9 + "\n", StandardCharsets.UTF_8);
    }
  }
}

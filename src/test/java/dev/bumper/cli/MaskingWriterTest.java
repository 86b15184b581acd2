package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.secret.SecretMask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingWriterTest {
  private static final String TOKEN = "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1";

  @Test
  void theWriterMasksASecretWrittenInPieces() {
    SecretMask mask = SecretMask.of(Map.of("GIT_TOKEN", TOKEN), new String[0]);
    StringWriter sink = new StringWriter();
    PrintWriter out = new PrintWriter(new MaskingWriter(sink, mask), true);

    out.print("remote: ");
    out.print(TOKEN.substring(0, 10));
    out.print(TOKEN.substring(10));
    out.println(" is not valid");
    out.print("no newline " + TOKEN);
    out.flush();

    assertThat(sink.toString()).isEqualTo("remote: *** is not valid" + System.lineSeparator() + "no newline ***");
  }

  @Test
  void aRunMasksWhatPicocliEchoes() {
    Run run = Run.run("commit-push", "--attempts=https://user:" + TOKEN + "@example.com/x.git");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--attempts'").contains("https://user:***@example.com")
        .doesNotContain(TOKEN);
  }
}

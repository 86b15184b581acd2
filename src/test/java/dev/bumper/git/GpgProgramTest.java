package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GpgProgramTest {
  @Test
  void gpgsReasonIsItsLastMessageWithoutTheStatusLines() {
    String stderr = "[GNUPG:] KEY_CONSIDERED 6BBC5BFD 2\n[GNUPG:] PINENTRY_LAUNCHED\n"
        + "gpg: signing failed: Bad passphrase\n[GNUPG:] FAILURE sign 11\n"
        + "gpg: signing failed: Bad passphrase\n";
    assertThat(GpgProgram.reason(stderr)).isEqualTo("signing failed: Bad passphrase");
    assertThat(GpgProgram.reason("[GNUPG:] FAILURE sign 17\n")).isEqualTo("it said nothing (exit status)");
  }

  @Test
  void aProgramThatIsNotThereIsNamed() {
    GpgProgram missing = new GpgProgram("/nonexistent/gpg2");
    assertThatThrownBy(() -> missing.sign("tree 0\n".getBytes(StandardCharsets.UTF_8), "ci@example.com", null))
        .isInstanceOf(IOException.class).hasMessageStartingWith("/nonexistent/gpg2 cannot be run");
  }
}

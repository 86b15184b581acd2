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

  @Test
  void keygripsAreTheGrpRecordsOfTheColonListing() {
    String listing = String.join("\n",
        "sec:u:255:22:A45D7BD9A098CFF5:1796506023:::u:::scSC:::+::ed25519:::0:",
        "fpr:::::::::54D68D2AB502E9CA625B7F0CA45D7BD9A098CFF5:",
        "grp:::::::::B26785FB54F1ADE547AF0B3D33312E86FC3DCC19:",
        "uid:u::::1796506023::0F2E1C6B8A::CI <ci@example.com>::::::::::0:",
        "ssb:u:255:18:0123456789ABCDEF:1796506023::::::e:::+::cv25519::",
        "grp:::::::::0000000000000000000000000000000000000001:",
        "grp:::::::::not-a-keygrip:");
    assertThat(GpgProgram.keygrips(listing)).containsExactly(
        "B26785FB54F1ADE547AF0B3D33312E86FC3DCC19", "0000000000000000000000000000000000000001");
    assertThat(GpgProgram.keygrips("")).isEmpty();
  }

  @Test
  void cachedKeygripsAreTheKeyinfoAnswersMarkedOne() {
    String answers = String.join("\n",
        "S KEYINFO B26785FB54F1ADE547AF0B3D33312E86FC3DCC19 D - - 1 P - - -",
        "OK",
        "S KEYINFO 0000000000000000000000000000000000000001 D - - - P - - -",
        "OK",
        "ERR 67108891 Not found <GPG Agent>");
    assertThat(GpgProgram.cached(answers)).containsExactly("B26785FB54F1ADE547AF0B3D33312E86FC3DCC19");
    assertThat(GpgProgram.cached("")).isEmpty();
  }
}

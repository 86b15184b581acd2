package dev.bumper.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void theBarShowsTheFractionAndFitsTheTerminal() {
    assertThat(ProgressBar.render("push web", 0, "", 80)).isEqualTo("push web [>                             ]   0%");
    assertThat(ProgressBar.render("push web", 0.5, "20.0 of 40.0 MB", 80))
        .isEqualTo("push web [===============>              ]  50% 20.0 of 40.0 MB");
    assertThat(ProgressBar.render("push web", 1.2, "", 80)).isEqualTo("push web [==============================] 100%");
    assertThat(ProgressBar.render("push a-long-name", 0.5, "detail", 30)).hasSize(29);
  }

  @Test
  void theBarRedrawsInPlaceAndPrintsEventsAboveIt() {
    StringWriter out = new StringWriter();
    long[] now = {0};
    ProgressBar bar = new ProgressBar(new PrintWriter(out), "push", 80, () -> now[0]);
    bar.update(0.5, "1.0 of 2.0 MB");
    bar.update(0.501, "1.1 of 2.0 MB"); // same percentage, too soon: not drawn
    now[0] = 150;
    bar.update(0.502, "1.2 of 2.0 MB"); // same percentage, later: drawn with the new detail
    bar.line("blob sha256:1234: uploaded");
    bar.update(1, "2.0 of 2.0 MB");
    bar.done();
    assertThat(out.toString())
        .isEqualTo("\rpush [===============>              ]  50% 1.0 of 2.0 MB"
            + "\rpush [===============>              ]  50% 1.2 of 2.0 MB"
            + "\r" + " ".repeat(56) + "\r"
            + "blob sha256:1234: uploaded\n"
            + "\rpush [===============>              ]  50% 1.2 of 2.0 MB"
            + "\rpush [==============================] 100% 2.0 of 2.0 MB\n");
  }

  @Test
  void linesInLogsAreFewAndSpaced() {
    StringWriter out = new StringWriter();
    long[] now = {0};
    ProgressLines lines = new ProgressLines(new PrintWriter(out), "push web", () -> now[0]);
    lines.update(0.15, "1 MB");
    now[0] = 2500;
    lines.update(0.25, "2 MB");
    lines.update(0.35, "3 MB");
    now[0] = 6000;
    lines.update(0.55, "5 MB");
    lines.line("blob sha256:ab: uploaded");
    lines.update(1.0, "10 MB");
    assertThat(out.toString())
        .isEqualTo("push web: 20% (2 MB)\npush web: 50% (5 MB)\npush web: blob sha256:ab: uploaded\n");
  }
}

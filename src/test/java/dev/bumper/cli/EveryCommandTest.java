package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** What every registered command owes its users, whichever command it is and whenever it was added. */
class EveryCommandTest {
  private static List<String> commandNames() {
    return new ArrayList<>(CommandDocs.commandLine().getSubcommands().keySet());
  }

  @Test
  void theCommandsAreThere() {
    assertThat(commandNames()).contains("bump-manifest", "kustomize-set-image");
  }

  @Test
  void rootHelpListsEveryCommandAndHasExamples() {
    Run run = Run.run("--help");
    assertThat(run.code()).as(run.toString()).isZero();
    for (String name : commandNames()) {
      assertThat(run.out()).as(name).contains("  " + name);
    }
    assertThat(run.out()).contains("\nExamples:\n");
  }

  @TestFactory
  List<DynamicTest> helpHasExamplesOfTheCommandItself() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : commandNames()) {
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                Run run = Run.run(name, "--help");
                assertThat(run.code()).as(run.toString()).isZero();
                String examples = run.out().substring(run.out().indexOf("\nExamples:\n") + 1);
                assertThat(run.out()).as(name + " --help").contains("\nExamples:\n");
                assertThat(examples.lines().filter(l -> l.startsWith("  bumper " + name + " ")))
                    .as("examples of " + name)
                    .isNotEmpty();
              }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> outputJsonIsOneObjectEvenForAUsageError() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : commandNames()) {
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                Run run = Run.run(name, "--output", "json", "--no-such-option");
                assertThat(run.code()).as(run.toString()).isEqualTo(2);
                assertThat(run.out()).endsWith("}\n");
                Map<String, Object> json = StrictJson.parseObject(run.out().strip());
                assertThat(json).containsEntry("exitCode", 2L);
                assertThat((String) json.get("error")).contains("--no-such-option");
              }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> everyOptionIsDescribed() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, CommandLine> command : CommandDocs.commandLine().getSubcommands().entrySet()) {
      tests.add(
          DynamicTest.dynamicTest(
              command.getKey(),
              () -> {
                for (CommandLine.Model.OptionSpec option : command.getValue().getCommandSpec().options()) {
                  assertThat(String.join(" ", option.description()).strip())
                      .as(command.getKey() + " " + option.longestName())
                      .isNotEmpty();
                }
              }));
    }
    return tests;
  }

  @Test
  void colourOnlyOnATerminalAndNeverWithNoColor() {
    assertThat(Console.colorsByDefault(Map.of("TERM", "xterm-256color"), true)).isTrue();
    assertThat(Console.colorsByDefault(Map.of("TERM", "xterm-256color"), false)).isFalse();
    assertThat(Console.colorsByDefault(Map.of("TERM", "xterm", "NO_COLOR", "1"), true)).isFalse();
    assertThat(Console.colorsByDefault(Map.of("TERM", "xterm", "NO_COLOR", "anything"), true)).isFalse();
    // no-color.org: an empty NO_COLOR does not count
    assertThat(Console.colorsByDefault(Map.of("TERM", "xterm", "NO_COLOR", ""), true)).isTrue();
    assertThat(Console.colorsByDefault(Map.of("TERM", "dumb"), true)).isFalse();
    assertThat(Console.colorsByDefault(Map.of(), true)).isTrue();
  }
}

package dev.bumper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.bumper.ci.archfixture.UsesIo;
import dev.bumper.container.archfixture.RunsTheCommandLine;
import dev.bumper.image.archfixture.ParsesAUri;
import dev.bumper.image.archfixture.ResolvesAHost;
import dev.bumper.io.archfixture.UsesCi;
import dev.bumper.kustomize.archfixture.UsesJGit;
import dev.bumper.manifest.archfixture.StartsAProcess;
import dev.bumper.secret.archfixture.UsesAGitType;
import dev.bumper.yaml.archfixture.ReadsAFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package rules, checked on the compiled classes: the core (image references, YAML editing,
 * manifests, kustomize semantics, secret masking) is pure text in and text out, so it is tested on
 * strings and runs anywhere; the edges depend on the core, never the other way; {@code cli} is the
 * top that nothing depends on; and the packages form no cycle, so each can be read with what it
 * uses.
 *
 * <p>Each rule is defined once and checked twice: on bumper's own classes, where it must hold, and
 * on deliberately wrong classes in the test sources (the {@code archfixture} packages, which the
 * import of bumper's classes leaves out), where it must fail with a report that names the class
 * and the dependency. A rule that cannot fail would pass for nothing.
 */
class ArchitectureTest {
  private static final String[] CORE = {
    "dev.bumper.image..", "dev.bumper.yaml..", "dev.bumper.manifest..", "dev.bumper.kustomize..",
    "dev.bumper.secret.."
  };
  private static final String[] EDGES = {
    "dev.bumper.cli..", "dev.bumper.pipeline..", "dev.bumper.edit..", "dev.bumper.git..",
    "dev.bumper.container..", "dev.bumper.ci..", "dev.bumper.io..", "dev.bumper.provider.."
  };

  private static final DescribedPredicate<JavaClass> FILE_NETWORK_OR_GIT_API =
      JavaClass.Predicates.resideInAnyPackage(
              "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "javax.net..",
              "org.eclipse.jgit..", "com.google.cloud.tools.jib..", "org.apache.commons.compress..")
          // text about URLs is no network I/O
          .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(
              java.net.URI.class, java.net.URISyntaxException.class, java.net.URLDecoder.class,
              java.net.URLEncoder.class)))
          .as("file, network or git API");

  static final ArchRule CORE_USES_NO_FILE_NETWORK_PROCESS_OR_GIT_API =
      noClasses().that().resideInAnyPackage(CORE)
          .should().dependOnClassesThat(FILE_NETWORK_OR_GIT_API)
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Process")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Runtime")
          .because("the core is text in, text out: tested on strings, no I/O");

  static final ArchRule CORE_DEPENDS_ON_NO_EDGE =
      noClasses().that().resideInAnyPackage(CORE)
          .should().dependOnClassesThat().resideInAnyPackage(EDGES)
          .because("the edges depend on the core, never the other way");

  static final ArchRule NOTHING_DEPENDS_ON_THE_COMMAND_LINE =
      noClasses().that().resideOutsideOfPackage("dev.bumper.cli..")
          .should().dependOnClassesThat().resideInAPackage("dev.bumper.cli..")
          .because(
              "cli parses, builds, runs and renders; what it runs must not reach back into it");

  static final ArchRule THE_PACKAGES_FORM_NO_CYCLE =
      slices().matching("dev.bumper.(*)..").should().beFreeOfCycles();

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.bumper");
  }

  // --- bumper's classes keep the rules -------------------------------------------------------

  @Test
  void theRulesSeeEveryPackage() {
    for (String name : new String[] {
      "cli", "pipeline", "edit", "image", "yaml", "manifest", "kustomize", "secret", "failure",
      "retry", "git", "container", "ci", "io"
    }) {
      assertThat(classes.containPackage("dev.bumper." + name)).as(name).isTrue();
    }
  }

  @Test
  void theRulesSeeNoFixture() {
    assertThat(classes.stream().map(JavaClass::getPackageName))
        .noneMatch(name -> name.endsWith(".archfixture"));
  }

  @Test
  void theCoreUsesNoFileNetworkProcessOrGitApi() {
    CORE_USES_NO_FILE_NETWORK_PROCESS_OR_GIT_API.check(classes);
  }

  @Test
  void theCoreDependsOnNoEdge() {
    CORE_DEPENDS_ON_NO_EDGE.check(classes);
  }

  @Test
  void nothingDependsOnTheCommandLine() {
    NOTHING_DEPENDS_ON_THE_COMMAND_LINE.check(classes);
  }

  @Test
  void thePackagesFormNoCycle() {
    THE_PACKAGES_FORM_NO_CYCLE.check(classes);
  }

  // --- each rule fails on a class that breaks it ---------------------------------------------

  static Stream<Arguments> coreClassesUsingIo() {
    return Stream.of(
        arguments(ReadsAFile.class, "java.nio.file.Files"),
        arguments(ResolvesAHost.class, "java.net.InetAddress"),
        arguments(StartsAProcess.class, "java.lang.ProcessBuilder"),
        arguments(UsesJGit.class, "org.eclipse.jgit.lib.ObjectId"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("coreClassesUsingIo")
  void aCoreClassUsingIoFails(Class<?> fixture, String api) {
    assertFailsNaming(
        CORE_USES_NO_FILE_NETWORK_PROCESS_OR_GIT_API, fixtures(fixture), fixture.getName(), api);
  }

  @Test
  void aCoreClassParsingAUriPasses() {
    assertThat(CORE_USES_NO_FILE_NETWORK_PROCESS_OR_GIT_API.evaluate(fixtures(ParsesAUri.class))
            .hasViolation())
        .isFalse();
  }

  @Test
  void aCoreClassUsingAGitTypeFails() {
    assertFailsNaming(CORE_DEPENDS_ON_NO_EDGE, fixtures(UsesAGitType.class),
        UsesAGitType.class.getName(), "dev.bumper.git.RemoteUrl");
  }

  @Test
  void aClassOutsideCliUsingCliFails() {
    assertFailsNaming(NOTHING_DEPENDS_ON_THE_COMMAND_LINE, fixtures(RunsTheCommandLine.class),
        RunsTheCommandLine.class.getName(), "dev.bumper.cli.Main");
  }

  @Test
  void twoPackagesUsingEachOtherFail() {
    assertFailsNaming(THE_PACKAGES_FORM_NO_CYCLE, fixtures(UsesIo.class, UsesCi.class),
        UsesIo.class.getName(), UsesCi.class.getName());
  }

  private static JavaClasses fixtures(Class<?>... fixtures) {
    return new ClassFileImporter().importClasses(fixtures);
  }

  /** The rule fails on the fixtures, and one entry of its report names everything in names. */
  private static void assertFailsNaming(ArchRule rule, JavaClasses fixtures, String... names) {
    EvaluationResult result = rule.evaluate(fixtures);
    assertThat(result.hasViolation()).as("violated: %s", rule.getDescription()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(detail -> assertThat(detail).contains(names));
  }
}

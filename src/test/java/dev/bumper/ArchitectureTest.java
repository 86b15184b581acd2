package dev.bumper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked on the compiled classes: the core (image references, YAML editing,
 * manifests, kustomize semantics) is pure text in and text out, so it is tested on strings and
 * runs anywhere; the edges depend on the core, never the other way; {@code cli} is the top that
 * nothing depends on; and the packages form no cycle, so each can be read with what it uses.
 */
class ArchitectureTest {
  private static final String[] CORE = {
    "dev.bumper.image..", "dev.bumper.yaml..", "dev.bumper.manifest..", "dev.bumper.kustomize..", "dev.bumper.secret.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.bumper");
  }

  @Test
  void theRulesSeeEveryPackage() {
    for (String name : new String[] {"cli", "image", "yaml", "manifest", "kustomize", "secret", "git", "container", "ci", "io"}) {
      assertThat(classes.containPackage("dev.bumper." + name)).as(name).isTrue();
    }
  }

  @Test
  void theCoreUsesNoFileNetworkProcessOrGitApi() {
    DescribedPredicate<JavaClass> io = JavaClass.Predicates.resideInAnyPackage(
            "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "javax.net..",
            "org.eclipse.jgit..", "com.google.cloud.tools.jib..", "org.apache.commons.compress..")
        // text about URLs is no network I/O
        .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(
            java.net.URI.class, java.net.URISyntaxException.class, java.net.URLDecoder.class, java.net.URLEncoder.class)));
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat(io.as("file, network or git API"))
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Process")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Runtime")
        .because("the core is text in, text out: tested on strings, no I/O")
        .check(classes);
  }

  @Test
  void theCoreDependsOnNoEdge() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.bumper.cli..", "dev.bumper.git..", "dev.bumper.container..", "dev.bumper.ci..", "dev.bumper.io..")
        .check(classes);
  }

  @Test
  void nothingDependsOnTheCommandLine() {
    noClasses().that().resideOutsideOfPackage("dev.bumper.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.bumper.cli..")
        .because("cli parses, builds, runs and renders; what it runs must not reach back into it")
        .check(classes);
  }

  @Test
  void thePackagesFormNoCycle() {
    slices().matching("dev.bumper.(*)..").should().beFreeOfCycles().check(classes);
  }
}

package dev.bumper.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ImageUpdateTest {

  static final String SHA =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final String SHA2 =
      "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

  private static String apply(String spec, String current) {
    return ImageUpdate.parse(spec).apply(ImageReference.parse(current)).toString();
  }

  @Nested
  class Parsing {

    static Stream<Arguments> specs() {
      return Stream.of(
          // spec, target, newName (or null), tag change, digest change
          Arguments.of(
              "nginx:1.27", "nginx", null, PartChange.set("1.27"), PartChange.remove()),
          Arguments.of(
              "docker.io/library/nginx:1.27",
              "docker.io/library/nginx",
              null,
              PartChange.set("1.27"),
              PartChange.remove()),
          Arguments.of("web@" + SHA, "web", null, PartChange.remove(), PartChange.set(SHA)),
          Arguments.of(
              "web:1.2@" + SHA, "web", null, PartChange.set("1.2"), PartChange.set(SHA)),
          Arguments.of("web", "web", null, PartChange.remove(), PartChange.remove()),
          Arguments.of("web=*:1.4.2", "web", null, PartChange.set("1.4.2"), PartChange.remove()),
          Arguments.of(
              "ghcr.io/acme/web:*@" + SHA,
              "ghcr.io/acme/web",
              null,
              PartChange.keep(),
              PartChange.set(SHA)),
          Arguments.of("web:1.2@*", "web", null, PartChange.set("1.2"), PartChange.keep()),
          Arguments.of("web:*@*", "web", null, PartChange.keep(), PartChange.keep()),
          // "*@*" has no tag part, so the tag goes; only the digest is kept
          Arguments.of("web=*@*", "web", null, PartChange.remove(), PartChange.keep()),
          Arguments.of("web=*", "web", null, PartChange.remove(), PartChange.remove()),
          Arguments.of(
              "nginx=ghcr.io/mirror/nginx:*",
              "nginx",
              "ghcr.io/mirror/nginx",
              PartChange.keep(),
              PartChange.remove()),
          Arguments.of(
              "docker.io/acme/web=localhost:5000/web:2@" + SHA,
              "docker.io/acme/web",
              "localhost:5000/web",
              PartChange.set("2"),
              PartChange.set(SHA)),
          Arguments.of(
              "old=[::1]:5000/new@*",
              "old",
              "[::1]:5000/new",
              PartChange.remove(),
              PartChange.keep()),
          Arguments.of(
              "localhost:5000/web:1",
              "localhost:5000/web",
              null,
              PartChange.set("1"),
              PartChange.remove()),
          Arguments.of(
              "registry.example.com:443/team/app:*@" + SHA,
              "registry.example.com:443/team/app",
              null,
              PartChange.keep(),
              PartChange.set(SHA)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("specs")
    void parsesIntoTargetNameAndPartChanges(
        String spec, String target, String newName, PartChange tag, PartChange digest) {
      ImageUpdate update = ImageUpdate.parse(spec);

      assertThat(update.target()).hasToString(target);
      assertThat(update.target().tag()).isNull();
      assertThat(update.target().digest()).isNull();
      assertThat(update.newName().orElse(null)).isEqualTo(newName);
      assertThat(update.tagChange()).isEqualTo(tag);
      assertThat(update.digestChange()).isEqualTo(digest);
      assertThat(update).hasToString(spec);
    }

    @Test
    void splitsAtTheFirstEquals() {
      assertThatThrownBy(() -> ImageUpdate.parse("a=b=c:1"))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessage("invalid repository path \"b=c\" in \"a=b=c:1\": bad component \"b=c\"");
    }

    @Test
    void equalityIsOnTheSpec() {
      assertThat(ImageUpdate.parse("web:1")).isEqualTo(ImageUpdate.parse("web:1"));
      assertThat(ImageUpdate.parse("web:1")).hasSameHashCodeAs(ImageUpdate.parse("web:1"));
      assertThat(ImageUpdate.parse("web:1")).isNotEqualTo(ImageUpdate.parse("web=*:1"));
    }
  }

  @Nested
  class Invalid {

    static Stream<Arguments> invalid() {
      return Stream.of(
          Arguments.of("", "empty image spec"),
          Arguments.of("  ", "empty image spec"),
          Arguments.of("=web:1", "invalid image spec \"=web:1\": NAME before \"=\" is empty"),
          Arguments.of("web=", "invalid image spec \"web=\": REF after \"=\" is empty"),
          Arguments.of(
              "*:1.2",
              "invalid image spec \"*:1.2\": \"*\" as the name keeps the name in the file,"
                  + " so it needs NAME=REF (e.g. web=*:1.2)"),
          Arguments.of("*", "\"*\" as the name keeps the name in the file, so it needs NAME=REF"),
          Arguments.of("*@" + SHA, "so it needs NAME=REF"),
          Arguments.of(
              "*=web:1",
              "invalid image spec \"*=web:1\": NAME must be a repository,"
                  + " \"*\" is only allowed in REF"),
          Arguments.of(
              "web:1=web:2",
              "invalid image spec \"web:1=web:2\": NAME \"web:1\" must not carry a tag;"
                  + " put it in REF"),
          Arguments.of(
              "web@" + SHA + "=web:2",
              "NAME \"web@" + SHA + "\" must not carry a digest; put it in REF"),
          Arguments.of(
              "Web=web:2",
              "invalid image spec \"Web=web:2\": repository path \"Web\" must be lowercase"),
          Arguments.of(
              "web=Web:2",
              "invalid image spec \"web=Web:2\": repository path \"Web\" must be lowercase"),
          Arguments.of(
              "Nginx:1.2",
              "invalid image spec \"Nginx:1.2\": repository path \"Nginx\" must be lowercase"),
          Arguments.of("web:-x", "invalid tag \"-x\" in \"web:-x\""),
          Arguments.of("web=*:-x", "invalid tag \"-x\" in \"web=*:-x\""),
          Arguments.of("web:1.*", "invalid tag \"1.*\" in \"web:1.*\""),
          Arguments.of("web:**", "invalid tag \"**\" in \"web:**\""),
          Arguments.of("web:", "invalid tag \"\" in \"web:\""),
          Arguments.of("web@sha256:abc", "invalid digest \"sha256:abc\" in \"web@sha256:abc\""),
          Arguments.of("web@", "invalid digest \"\" in \"web@\""),
          Arguments.of("web@**", "invalid digest \"**\" in \"web@**\""),
          Arguments.of("web:1@*@*", "invalid digest \"*@*\" in \"web:1@*@*\""),
          Arguments.of(
              "ghcr.io/*:1",
              "invalid repository path \"*\" in \"ghcr.io/*:1\": bad component \"*\""),
          Arguments.of("web=*/x:1", "invalid repository path \"*/x\""),
          Arguments.of("web:1:2", "invalid repository path \"web:1\" in \"web:1:2\""),
          Arguments.of("web=:1", "invalid image spec \"web=:1\": missing repository name"),
          Arguments.of("@" + SHA, "missing repository name"),
          Arguments.of("my_reg.io/web:1", "invalid registry \"my_reg.io\""),
          Arguments.of("web=ghcr.io/:1", "missing repository path"),
          Arguments.of(
              "a".repeat(256) + ":1", "image name longer than 255 characters (256)"),
          Arguments.of(
              "web=" + "a".repeat(256) + ":1", "image name longer than 255 characters (256)"),
          Arguments.of(
              "a".repeat(256) + "=web:1", "image name longer than 255 characters (256)"),
          Arguments.of("{{ .Values.image }}", "invalid"),
          Arguments.of("${IMAGE}", "invalid"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void isRejectedWithMessageNamingThePart(String spec, String message) {
      assertThatThrownBy(() -> ImageUpdate.parse(spec))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessageContaining(message);
    }
  }

  @Nested
  class Apply {

    /** {@code <sha>} and {@code <sha2>} stand for {@link #SHA} and {@link #SHA2}. */
    @ParameterizedTest(name = "-i {0}: {1} -> {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          // the name keeps its spelling in the file
          "docker.io/library/nginx:1.27 | nginx:1.25                    | nginx:1.27",
          "docker.io/library/nginx:1.27 | docker.io/nginx:1.25          | docker.io/nginx:1.27",
          "docker.io/library/nginx:1.27 | index.docker.io/library/nginx"
              + " | index.docker.io/library/nginx:1.27",
          "nginx:1.27 | registry-1.docker.io/nginx:1 | registry-1.docker.io/nginx:1.27",
          "nginx:1.27 | docker.io/library/nginx:1.25 | docker.io/library/nginx:1.27",
          "acme/web:2                   | docker.io/acme/web:1          | docker.io/acme/web:2",
          "ghcr.io/acme/web:2           | GHCR.IO/acme/web:1            | GHCR.IO/acme/web:2",
          "localhost:5000/web:2         | localhost:5000/web:1          | localhost:5000/web:2",
          "[::1]:5000/web:2             | [::1]:5000/web                | [::1]:5000/web:2",
          // a part REF lacks is removed
          "web@<sha>                    | web:1.0                       | web@<sha>",
          "web:1.1                      | web:1.0@<sha>                 | web:1.1",
          "web                          | web:1.0@<sha>                 | web",
          "web:1.1@<sha2>               | web:1.0@<sha>                 | web:1.1@<sha2>",
          // * keeps a part
          "web=*:1.4.2                  | web:1.0                       | web:1.4.2",
          "web=*:1.4.2 | docker.io/library/web:1.0 | docker.io/library/web:1.4.2",
          "ghcr.io/acme/web:*@<sha> | ghcr.io/acme/web:1.0 | ghcr.io/acme/web:1.0@<sha>",
          "ghcr.io/acme/web:*@<sha>     | ghcr.io/acme/web              | ghcr.io/acme/web@<sha>",
          "web:1.2@*                    | web:1.0@<sha>                 | web:1.2@<sha>",
          "web:1.2@*                    | web:1.0                       | web:1.2",
          "web:*@*                      | web:1.0@<sha>                 | web:1.0@<sha>",
          "web=*@<sha2>                 | web:1.0@<sha>                 | web@<sha2>",
          "web=*@*                      | web:1.0@<sha>                 | web@<sha>",
          // renames
          "nginx=ghcr.io/mirror/nginx:1.27 | docker.io/nginx:1.25 | ghcr.io/mirror/nginx:1.27",
          "nginx=ghcr.io/mirror/nginx:*    | nginx:1.25@<sha>     | ghcr.io/mirror/nginx:1.25",
          "nginx=ghcr.io/mirror/nginx:*@* | nginx:1.25@<sha> | ghcr.io/mirror/nginx:1.25@<sha>",
          "docker.io/acme/web=localhost:5000/web:2 | acme/web:1   | localhost:5000/web:2",
          "old=[::1]:5000/new@<sha>        | docker.io/library/old:3 | [::1]:5000/new@<sha>",
          "nginx=docker.io/library/nginx:1.27 | nginx:1.25        | docker.io/library/nginx:1.27",
          "registry.example.com:443/team/app:*@<sha2> | registry.example.com:443/team/app@<sha>"
              + " | registry.example.com:443/team/app@<sha2>"
        })
    void rewritesTheReference(String spec, String current, String expected) {
      assertThat(apply(expand(spec), expand(current))).isEqualTo(expand(expected));
    }

    private String expand(String text) {
      return text.replace("<sha2>", SHA2).replace("<sha>", SHA);
    }

    @ParameterizedTest(name = "-i {0} matches {1}: {2}")
    @CsvSource({
      "docker.io/library/nginx:1.27, nginx, true",
      "nginx:1.27, index.docker.io/library/nginx:1, true",
      "nginx:1.27, quay.io/nginx:1, false",
      "nginx:1.27, acme/nginx, false",
      "acme/web:2, docker.io/acme/web, true",
      "ghcr.io/acme/web:2, ghcr.io/acme/web2:2, false",
      "ghcr.io/acme/web:2, GHCR.io/acme/web, true",
      "nginx=ghcr.io/mirror/nginx:1, docker.io/nginx:1, true",
      "nginx=ghcr.io/mirror/nginx:1, ghcr.io/mirror/nginx:1, false",
      "web=*:1, web:0, true",
      "localhost:5000/web:1, localhost/web:1, false"
    })
    void matchesByNormalizedRepository(String spec, String ref, boolean matches) {
      assertThat(ImageUpdate.parse(spec).matches(ImageReference.parse(ref))).isEqualTo(matches);
    }

    @Test
    void applyRefusesAnotherRepository() {
      ImageUpdate update = ImageUpdate.parse("ghcr.io/acme/web:2");

      assertThatThrownBy(() -> update.apply(ImageReference.parse("ghcr.io/acme/web2:1")))
          .isInstanceOf(IllegalArgumentException.class)
          .isNotInstanceOf(InvalidReferenceException.class)
          .hasMessageContaining("ghcr.io/acme/web2:1")
          .hasMessageContaining("ghcr.io/acme/web");
    }

    @Test
    void applyDoesNotChangeTheUpdateOrTheInput() {
      ImageUpdate update = ImageUpdate.parse("nginx=ghcr.io/mirror/nginx:1.27");
      ImageReference current = ImageReference.parse("nginx:1.25");

      update.apply(current);

      assertThat(current).hasToString("nginx:1.25");
      assertThat(update.apply(current)).isEqualTo(update.apply(current));
    }
  }

  @Nested
  class PartChanges {

    @Test
    void keepReturnsTheCurrentValue() {
      assertThat(PartChange.keep().applyTo("1.0")).isEqualTo("1.0");
      assertThat(PartChange.keep().applyTo(null)).isNull();
    }

    @Test
    void removeReturnsNull() {
      assertThat(PartChange.remove().applyTo("1.0")).isNull();
      assertThat(PartChange.remove().applyTo(null)).isNull();
    }

    @Test
    void setReturnsTheValue() {
      assertThat(PartChange.set("2").applyTo("1.0")).isEqualTo("2");
      assertThat(PartChange.set("2").applyTo(null)).isEqualTo("2");
      assertThat(PartChange.set("2")).isEqualTo(new PartChange.Set("2"));
      assertThatThrownBy(() -> PartChange.set(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readableToString() {
      assertThat(PartChange.keep()).hasToString("keep");
      assertThat(PartChange.remove()).hasToString("remove");
      assertThat(PartChange.set("1.2")).hasToString("set 1.2");
    }
  }
}

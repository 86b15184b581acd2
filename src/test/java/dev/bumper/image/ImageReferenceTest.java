package dev.bumper.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  static final String SHA =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final String SHA2 =
      "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

  @Nested
  class Parsing {

    static Stream<Arguments> parts() {
      return Stream.of(
          Arguments.of("nginx", null, "nginx", null, null),
          Arguments.of("nginx:1.25", null, "nginx", "1.25", null),
          Arguments.of("library/nginx:latest", null, "library/nginx", "latest", null),
          Arguments.of("docker.io/nginx", "docker.io", "nginx", null, null),
          Arguments.of("ghcr.io/acme/web:v1.2.3", "ghcr.io", "acme/web", "v1.2.3", null),
          Arguments.of("localhost/web", "localhost", "web", null, null),
          Arguments.of("localhost:5000/web:1", "localhost:5000", "web", "1", null),
          Arguments.of(
              "registry.example.com:443/team/app@" + SHA,
              "registry.example.com:443",
              "team/app",
              null,
              SHA),
          Arguments.of("[::1]:5000/web", "[::1]:5000", "web", null, null),
          Arguments.of("[::1]/web:2", "[::1]", "web", "2", null),
          Arguments.of("[2001:db8::1]:5000/a/b:c", "[2001:db8::1]:5000", "a/b", "c", null),
          Arguments.of("web:1.0@" + SHA, null, "web", "1.0", SHA),
          Arguments.of("GHCR.IO/acme/web", "GHCR.IO", "acme/web", null, null),
          Arguments.of("my-reg.example:8080/a/b/c/d", "my-reg.example:8080", "a/b/c/d", null, null),
          Arguments.of("a.b-c__d_e.f---g", null, "a.b-c__d_e.f---g", null, null),
          Arguments.of("web:_Under.score-1", null, "web", "_Under.score-1", null),
          // no slash: the first component is the path, even with a dot, and ":5000" is a tag
          Arguments.of("ghcr.io", null, "ghcr.io", null, null),
          Arguments.of("localhost:5000", null, "localhost", "5000", null),
          Arguments.of(
              "web@sha512:" + "ab".repeat(64), null, "web", null, "sha512:" + "ab".repeat(64)),
          Arguments.of(
              "web@multihash+base58:" + "AB".repeat(16),
              null,
              "web",
              null,
              "multihash+base58:" + "AB".repeat(16)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("parts")
    void splitsIntoPartsAsSpelled(
        String text, String registry, String path, String tag, String digest) {
      ImageReference ref = ImageReference.parse(text);

      assertThat(ref.registry()).isEqualTo(registry);
      assertThat(ref.path()).isEqualTo(path);
      assertThat(ref.tag()).isEqualTo(tag);
      assertThat(ref.digest()).isEqualTo(digest);
      assertThat(ref.name()).isEqualTo(registry == null ? path : registry + "/" + path);
      assertThat(ref.toString()).isEqualTo(text);
      assertThat(ImageReference.tryParse(text)).contains(ref);
    }

    @Test
    void tagOfMaximumLengthIsAccepted() {
      String tag = "t".repeat(128);

      assertThat(ImageReference.parse("web:" + tag).tag()).isEqualTo(tag);
    }

    @Test
    void nameOfMaximumLengthIsAccepted() {
      String name = "ghcr.io/" + "a".repeat(255 - "ghcr.io/".length());

      ImageReference ref = ImageReference.parse(name + ":1");

      assertThat(ref.name()).hasSize(255).isEqualTo(name);
    }

    @Test
    void nameLimitDoesNotCountTagAndDigest() {
      String name = "a".repeat(255);

      assertThat(ImageReference.parse(name + ":" + "t".repeat(128) + "@" + SHA).name())
          .isEqualTo(name);
    }
  }

  @Nested
  class Invalid {

    static Stream<Arguments> invalid() {
      return Stream.of(
          Arguments.of("", "empty image reference"),
          Arguments.of("   ", "empty image reference"),
          Arguments.of(
              "Nginx:1.2",
              "invalid image reference \"Nginx:1.2\": repository path \"Nginx\" must be lowercase"),
          Arguments.of(
              "ghcr.io/Acme/Web",
              "invalid image reference \"ghcr.io/Acme/Web\":"
                  + " repository path \"Acme/Web\" must be lowercase"),
          Arguments.of("web:-x", "invalid tag \"-x\" in \"web:-x\""),
          Arguments.of("web:.x", "invalid tag \".x\" in \"web:.x\""),
          Arguments.of("web:", "invalid tag \"\" in \"web:\": empty after \":\""),
          Arguments.of("web:a+b", "invalid tag \"a+b\" in \"web:a+b\""),
          Arguments.of(
              "web:" + "t".repeat(129),
              "invalid tag \""
                  + "t".repeat(129)
                  + "\" in \"web:"
                  + "t".repeat(129)
                  + "\": longer than 128 characters"),
          Arguments.of(
              "web@",
              "invalid digest \"\" in \"web@\":"
                  + " expected ALGORITHM:HEX with at least 32 hex digits"),
          Arguments.of("web@sha256", "invalid digest \"sha256\" in \"web@sha256\""),
          Arguments.of("web@sha256:abc", "invalid digest \"sha256:abc\" in \"web@sha256:abc\""),
          Arguments.of(
              "web@sha256:" + "a".repeat(63),
              "invalid digest \"sha256:"
                  + "a".repeat(63)
                  + "\" in \"web@sha256:"
                  + "a".repeat(63)
                  + "\": sha256 needs exactly 64 lowercase hex digits"),
          Arguments.of(
              "web@sha256:" + "a".repeat(65), "sha256 needs exactly 64 lowercase hex digits"),
          Arguments.of(
              "web@sha256:" + "A".repeat(64), "sha256 needs exactly 64 lowercase hex digits"),
          Arguments.of("web@md5:" + "g".repeat(32), "invalid digest \"md5:" + "g".repeat(32)),
          Arguments.of("web@1sha:" + "a".repeat(32), "invalid digest \"1sha:"),
          Arguments.of("web@" + SHA + "@" + SHA, "invalid digest \"" + SHA + "@" + SHA + "\""),
          Arguments.of("web:1@", "invalid digest \"\" in \"web:1@\""),
          Arguments.of(":1", "invalid image reference \":1\": missing repository name"),
          Arguments.of("@" + SHA, "missing repository name"),
          Arguments.of(
              "ghcr.io/", "invalid image reference \"ghcr.io/\": missing repository path"),
          Arguments.of(
              "ghcr.io/:1", "invalid image reference \"ghcr.io/:1\": missing repository path"),
          Arguments.of(
              "/web", "invalid repository path \"/web\" in \"/web\": empty component"),
          Arguments.of(
              "acme//web",
              "invalid repository path \"acme//web\" in \"acme//web\": empty component"),
          Arguments.of(
              "acme/web/",
              "invalid repository path \"acme/web/\" in \"acme/web/\": empty component"),
          Arguments.of(
              "a..b", "invalid repository path \"a..b\" in \"a..b\": bad component \"a..b\""),
          Arguments.of("a___b", "bad component \"a___b\""),
          Arguments.of("a._b", "bad component \"a._b\""),
          Arguments.of("-web", "bad component \"-web\""),
          Arguments.of("web-", "bad component \"web-\""),
          Arguments.of("web:1:2", "invalid repository path \"web:1\" in \"web:1:2\""),
          Arguments.of("acme/we b", "bad component \"we b\""),
          Arguments.of(
              "my_reg.io/web",
              "invalid registry \"my_reg.io\" in \"my_reg.io/web\": bad host name \"my_reg.io\""),
          Arguments.of("-reg.io/web", "invalid registry \"-reg.io\""),
          Arguments.of("reg-.io/web", "invalid registry \"reg-.io\""),
          Arguments.of("reg..io/web", "invalid registry \"reg..io\""),
          Arguments.of(
              "localhost:/web",
              "invalid registry \"localhost:\" in \"localhost:/web\": bad port \"\""),
          Arguments.of(
              "localhost:http/web",
              "invalid registry \"localhost:http\" in \"localhost:http/web\": bad port \"http\""),
          Arguments.of(
              "[::1/web", "invalid registry \"[::1\" in \"[::1/web\": bad IPv6 address \"[::1\""),
          Arguments.of("[::g]:5000/web", "bad IPv6 address \"[::g]\""),
          Arguments.of("[]:5000/web", "bad IPv6 address \"[]\""),
          Arguments.of(
              "[::1]5000/web",
              "invalid registry \"[::1]5000\" in \"[::1]5000/web\":"
                  + " expected \":PORT\" after the IPv6 address"),
          Arguments.of("[::1]", "invalid repository path \"[::1]\""),
          Arguments.of(
              "a".repeat(256),
              "invalid image reference \""
                  + "a".repeat(256)
                  + "\": image name longer than 255 characters (256)"),
          Arguments.of(
              "ghcr.io/" + "a".repeat(248) + ":1",
              "image name longer than 255 characters (256)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void isRejectedWithMessageNamingThePart(String text, String message) {
      assertThatThrownBy(() -> ImageReference.parse(text))
          .isInstanceOf(InvalidReferenceException.class)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
      assertThat(ImageReference.tryParse(text)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
        strings = {
          "{{ .Values.image }}",
          "{{ .Values.image.repository }}:{{ .Values.image.tag }}",
          "nginx:{{ .Chart.AppVersion }}",
          "${IMAGE}",
          "$IMAGE",
          "web:${TAG}",
          "\"\"",
          "''",
          "",
          " ",
          "nginx ",
          " nginx",
          "hello world",
          "80/TCP",
          "http://example.com/web",
          "<no value>",
          "~",
          "web\n"
        })
    void tryParseOfNonReferencesIsEmpty(String text) {
      assertThat(ImageReference.tryParse(text)).isEmpty();
    }

    @Test
    void tryParseOfNullIsEmpty() {
      assertThat(ImageReference.tryParse(null)).isEqualTo(Optional.empty());
    }
  }

  @Nested
  class Repository {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "nginx, docker.io/library/nginx",
      "nginx:1.25, docker.io/library/nginx",
      "docker.io/nginx, docker.io/library/nginx",
      "docker.io/library/nginx, docker.io/library/nginx",
      "index.docker.io/library/nginx, docker.io/library/nginx",
      "index.docker.io/nginx, docker.io/library/nginx",
      "registry-1.docker.io/nginx:1, docker.io/library/nginx",
      "Docker.IO/nginx, docker.io/library/nginx",
      "library/nginx, docker.io/library/nginx",
      "acme/web, docker.io/acme/web",
      "docker.io/acme/web, docker.io/acme/web",
      "acme/team/web, docker.io/acme/team/web",
      "ghcr.io/acme/web, ghcr.io/acme/web",
      "GHCR.io/acme/web:1, ghcr.io/acme/web",
      "quay.io/nginx, quay.io/nginx",
      "localhost/web, localhost/web",
      "localhost:5000/web:1, localhost:5000/web",
      "[::1]:5000/web, [::1]:5000/web",
      "docker.io:443/nginx, docker.io:443/nginx",
      "registry.example.com:443/team/app, registry.example.com:443/team/app"
    })
    void isNormalized(String text, String repository) {
      assertThat(ImageReference.parse(text).repository()).isEqualTo(repository);
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource({
      "nginx, docker.io/nginx",
      "nginx, docker.io/library/nginx",
      "nginx:1, index.docker.io/library/nginx:2",
      "nginx@" + "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
          + ", registry-1.docker.io/library/nginx:1",
      "docker.io/acme/web, acme/web",
      "ghcr.io/acme/web, GHCR.IO/acme/web:2",
      "localhost:5000/web:1, localhost:5000/web:2"
    })
    void sameRepositoryAcrossSpellings(String a, String b) {
      ImageReference left = ImageReference.parse(a);
      ImageReference right = ImageReference.parse(b);

      assertThat(left.sameRepository(right)).isTrue();
      assertThat(right.sameRepository(left)).isTrue();
    }

    @ParameterizedTest(name = "{0} !~ {1}")
    @CsvSource({
      "ghcr.io/acme/web, ghcr.io/acme/web2",
      "quay.io/nginx, nginx",
      "acme/nginx, nginx",
      "localhost:5000/web, localhost/web",
      "localhost:5000/web, web",
      "ghcr.io/acme/web, ghcr.io/acme-x/web",
      "docker.io:443/nginx, nginx",
      "ghcr.io/acme/web, docker.io/acme/web"
    })
    void differentRepositories(String a, String b) {
      ImageReference left = ImageReference.parse(a);
      ImageReference right = ImageReference.parse(b);

      assertThat(left.sameRepository(right)).isFalse();
      assertThat(right.sameRepository(left)).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "nginx, nginx",
      "docker.io/library/nginx:1, nginx",
      "ghcr.io/acme/team/web@" + SHA + ", web",
      "localhost:5000/web:5000, web",
      "[::1]:5000/a/b.c, b.c"
    })
    void lastPathComponent(String text, String last) {
      assertThat(ImageReference.parse(text).lastPathComponent()).isEqualTo(last);
    }
  }

  @Nested
  class ValueSemantics {

    @Test
    void equalityIsOnSpelling() {
      assertThat(ImageReference.parse("nginx:1")).isEqualTo(ImageReference.parse("nginx:1"));
      assertThat(ImageReference.parse("nginx:1"))
          .hasSameHashCodeAs(ImageReference.parse("nginx:1"));
      assertThat(ImageReference.parse("nginx:1"))
          .isNotEqualTo(ImageReference.parse("docker.io/library/nginx:1"))
          .isNotEqualTo(ImageReference.parse("nginx:2"))
          .isNotEqualTo(ImageReference.parse("nginx:1@" + SHA))
          .isNotEqualTo(ImageReference.parse("nginx"));
      assertThat(ImageReference.parse("GHCR.io/a/b"))
          .isNotEqualTo(ImageReference.parse("ghcr.io/a/b"));
    }

    @Test
    void withTagReplacesAddsAndRemovesTheTag() {
      ImageReference ref = ImageReference.parse("localhost:5000/web:1@" + SHA);

      assertThat(ref.withTag("2")).hasToString("localhost:5000/web:2@" + SHA);
      assertThat(ref.withTag(null)).hasToString("localhost:5000/web@" + SHA);
      assertThat(ImageReference.parse("web").withTag("v1")).hasToString("web:v1");
      assertThat(ref).hasToString("localhost:5000/web:1@" + SHA);
    }

    @Test
    void withDigestReplacesAddsAndRemovesTheDigest() {
      ImageReference ref = ImageReference.parse("[::1]:5000/web:1@" + SHA);

      assertThat(ref.withDigest(SHA2)).hasToString("[::1]:5000/web:1@" + SHA2);
      assertThat(ref.withDigest(null)).hasToString("[::1]:5000/web:1");
      assertThat(ImageReference.parse("web").withDigest(SHA)).hasToString("web@" + SHA);
      assertThat(ref.withDigest(SHA2).digest()).isEqualTo(SHA2);
    }

    @Test
    void withNameKeepsTagAndDigestAndTheNewSpelling() {
      ImageReference ref = ImageReference.parse("nginx:1@" + SHA);

      ImageReference renamed = ref.withName("Index.Docker.IO/library/nginx");

      assertThat(renamed).hasToString("Index.Docker.IO/library/nginx:1@" + SHA);
      assertThat(renamed.registry()).isEqualTo("Index.Docker.IO");
      assertThat(renamed.path()).isEqualTo("library/nginx");
      assertThat(renamed.sameRepository(ref)).isTrue();
      assertThat(ref.withName("ghcr.io/acme/nginx").repository()).isEqualTo("ghcr.io/acme/nginx");
    }

    @Test
    void withersRejectInvalidValues() {
      ImageReference ref = ImageReference.parse("web:1");

      assertThatThrownBy(() -> ref.withTag("-x"))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessage("invalid tag \"-x\" in \"web:-x\"");
      assertThatThrownBy(() -> ref.withDigest("sha256:abc"))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessageStartingWith("invalid digest \"sha256:abc\" in \"web:1@sha256:abc\"");
      assertThatThrownBy(() -> ref.withName("ghcr.io/Acme/web"))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessage(
              "invalid image name \"ghcr.io/Acme/web\": repository path \"Acme/web\" must be"
                  + " lowercase");
      assertThatThrownBy(() -> ref.withName("web:2"))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessage("invalid image name \"web:2\": must not carry a tag");
      assertThatThrownBy(() -> ref.withName("web@" + SHA))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessage("invalid image name \"web@" + SHA + "\": must not carry a digest");
      assertThatThrownBy(() -> ref.withName(""))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessage("empty image name");
      assertThatThrownBy(() -> ref.withName("a".repeat(256)))
          .isInstanceOf(InvalidReferenceException.class)
          .hasMessageEndingWith("image name longer than 255 characters (256)");
    }
  }
}

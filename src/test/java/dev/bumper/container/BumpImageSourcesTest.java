package dev.bumper.container;

import dev.bumper.image.ImageUpdate;
import dev.bumper.secret.SecretMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BumpImageSourcesTest {
  private static final String DIGEST = "sha256:" + "4f".repeat(32);

  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();

  @Test
  void withNeitherOptionTheSpecsAreUntouched() {
    List<ImageUpdate> images = List.of(ImageUpdate.parse("web:1"));
    assertThat(BumpImageSources.resolve(images, null, null, log::add)).isSameAs(images);
  }

  @Test
  void metadataAddsTheBuiltImagePinned() throws Exception {
    Path file = tmp.resolve("image.json");
    ImageMetadata.of(ImageName.parse("ghcr.io/acme/web:1.4.2", "--to"), List.of("1.4.2", "latest"), DIGEST, null, true).writeFile(file);
    List<ImageUpdate> images =
        BumpImageSources.resolve(List.of(ImageUpdate.parse("other:1")), file, null, log::add);
    assertThat(images).extracting(ImageUpdate::toString).containsExactly("other:1", "ghcr.io/acme/web:1.4.2@" + DIGEST);
  }

  @Test
  void metadataWithoutTagsPinsByDigestOnly() throws Exception {
    Path file = Files.writeString(tmp.resolve("m.json"), "{\"repository\":\"ghcr.io/acme/web\",\"digest\":\"" + DIGEST + "\",\"tags\":[]}");
    assertThat(BumpImageSources.resolve(List.of(), file, null, log::add))
        .extracting(ImageUpdate::toString)
        .containsExactly("ghcr.io/acme/web@" + DIGEST);
  }

  @Test
  void aMetadataFileThatIsNotOneIsSaidSo() throws Exception {
    assertThatThrownBy(() -> BumpImageSources.resolve(List.of(), tmp.resolve("none.json"), null, log::add))
        .hasMessageContaining("none.json: no such file")
        .extracting(e -> ((ContainerException) e).kind()).isEqualTo(ContainerException.Kind.USAGE);
    Path notJson = Files.writeString(tmp.resolve("bad.json"), "repository: web");
    assertThatThrownBy(() -> BumpImageSources.resolve(List.of(), notJson, null, log::add))
        .extracting(e -> ((ContainerException) e).kind()).isEqualTo(ContainerException.Kind.INVALID_INPUT);
    Path noDigest = Files.writeString(tmp.resolve("nodigest.json"), "{\"repository\":\"web\"}");
    assertThatThrownBy(() -> BumpImageSources.resolve(List.of(), noDigest, null, log::add))
        .hasMessageContaining("no sha256 \"digest\"");
  }

  @Test
  void pinningNeedsASpecWithATagAndNoDigest() {
    List<ImageUpdate> pinnedAlready = List.of(ImageUpdate.parse("web:1@" + DIGEST), ImageUpdate.parse("web=*:*@" + DIGEST));
    assertThatThrownBy(() -> BumpImageSources.resolve(pinnedAlready, null, () -> new RegistryAccess(new RegistryCredentials(Map.of(), r -> true, new SecretMask()), InsecureRegistries.of(java.util.List.of(), Map.of()), RetryPolicy.of(0, log::add), log::add), log::add))
        .hasMessageContaining("nothing to look up");
  }
}

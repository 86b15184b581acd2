package dev.bumper.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bumper.manifest.InvalidRequestException;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import java.util.Optional;

/**
 * Fuzzes the parsers of what users type: image references, {@code -i} specs, {@code --set} and
 * {@code --policy} arguments. A bad value is only ever the parser's own exception (a usage error,
 * exit 2, naming the bad part); a good one prints back as it was written, and applying a spec to
 * a reference it matches always gives a valid reference.
 */
class ImageReferenceFuzzTest {

  @FuzzTest
  @DictionaryEntries({
    "ghcr.io/", "docker.io/library/", "localhost:5000/", "[::1]:5000/", "nginx", ":1.25", "@sha256:",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "=", "*", ":*", "@*", "/", "__",
    "--", ".", "-", "_",
  })
  void referencesAndSpecs(FuzzedDataProvider data) {
    String spec = data.consumeString(300);
    String text = data.consumeRemainingAsString();

    Optional<ImageReference> parsed = ImageReference.tryParse(text);
    try {
      ImageReference ref = ImageReference.parse(text);
      assertThat(parsed).contains(ref);
      assertThat(ref.toString()).as("a reference keeps its spelling").isEqualTo(text);
      assertThat(ImageReference.parse(ref.name()).sameRepository(ref)).isTrue();
    } catch (InvalidReferenceException e) {
      assertThat(parsed).isEmpty();
      assertThat(e.getMessage()).matches("(?s)(invalid|empty) .*");
    }

    ImageUpdate update;
    try {
      update = ImageUpdate.parse(spec);
    } catch (InvalidReferenceException e) {
      assertThat(e.getMessage()).matches("(?s)(invalid|empty) .*");
      return;
    }
    assertThat(update.toString()).isEqualTo(spec);
    if (parsed.isPresent() && update.matches(parsed.get())) {
      ImageReference next = update.apply(parsed.get());
      assertThat(ImageReference.parse(next.toString())).isEqualTo(next);
      if (update.newName().isEmpty()) {
        assertThat(next.name()).as("without a rename the name keeps its spelling").isEqualTo(parsed.get().name());
      }
    }
  }

  @FuzzTest
  void setAndPolicyArguments(FuzzedDataProvider data) {
    boolean policy = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    try {
      if (policy) {
        assertThat(PolicyAssignment.parse(text).toString()).isNotEmpty();
      } else {
        assertThat(PathAssignment.parse(text).toString()).isNotEmpty();
      }
    } catch (InvalidRequestException | InvalidReferenceException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}

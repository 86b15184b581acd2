package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.edit.ManifestEdit;
import dev.bumper.image.ImageUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentStoreTest {
  @TempDir Path gitDir;

  private static Intent intent(String spec) {
    return new Intent(
        new ManifestEdit("apps", List.of(ImageUpdate.parse(spec)), List.of(), List.of(), List.of(), List.of(),
            List.of("web/\"odd\" name.yaml", "ünï\tcode"), false),
        "0123456789abcdef0123456789abcdef01234567", List.of("web 1.0 -> 2.0"), List.of("apps/web/deployment.yaml"));
  }

  @Test
  void intentsComeBackInTheOrderTheyWereRecorded() throws Exception {
    IntentStore store = new IntentStore(gitDir);
    store.add(intent("web:2.0"));
    store.add(intent("web:3.0"));
    store.add(intent("api:1.0"));

    assertThat(store.all()).containsExactly(intent("web:2.0"), intent("web:3.0"), intent("api:1.0"));
    assertThat(gitDir.resolve("bumper/intents")).isDirectoryContaining("regex:.*/000003-[0-9a-f]{8}\\.json");
  }

  @Test
  void removeForgetsOnlyTheIntentsGivenAndKeepsOnesRecordedSince() throws Exception {
    IntentStore store = new IntentStore(gitDir);
    store.add(intent("web:2.0"));
    store.add(intent("web:3.0"));
    List<IntentStore.Recorded> read = store.recorded();
    store.add(intent("api:1.0")); // recorded while the first two were being pushed

    store.remove(read);

    assertThat(store.all()).containsExactly(intent("api:1.0"));
    store.add(intent("web:4.0"));
    assertThat(store.all()).containsExactly(intent("api:1.0"), intent("web:4.0"));
  }

  @Test
  void twoStoresOnOneDirectoryNeverPickTheSameFile() throws Exception {
    Path first = new IntentStore(gitDir).add(intent("web:2.0"));
    Files.delete(first);
    Path again = new IntentStore(gitDir).add(intent("web:3.0"));
    Path other = new IntentStore(gitDir).add(intent("api:1.0"));

    assertThat(again).isNotEqualTo(first);
    assertThat(other.getFileName().toString()).startsWith("000002-");
    assertThat(new IntentStore(gitDir).all()).containsExactly(intent("web:3.0"), intent("api:1.0"));
  }

  @Test
  void aFileThatIsNotAnIntentIsSkipped() throws Exception {
    IntentStore store = new IntentStore(gitDir);
    store.add(intent("web:2.0"));
    Files.writeString(gitDir.resolve("bumper/intents/000002-0000abcd.json"), "{\"version\": 99}");
    Files.writeString(gitDir.resolve("bumper/intents/000003.json"), "not: [json");
    Files.writeString(gitDir.resolve("bumper/intents/notes.txt"), "ignored");

    assertThat(store.all()).containsExactly(intent("web:2.0"));
  }

  @Test
  void noDirectoryMeansNoIntents() throws Exception {
    assertThat(new IntentStore(gitDir).all()).isEmpty();
    new IntentStore(gitDir).remove(List.of());
  }
}

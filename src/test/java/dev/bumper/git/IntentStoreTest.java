package dev.bumper.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentStoreTest {
  @TempDir Path gitDir;

  private static Intent intent(String spec) {
    return new Intent(
        "bump-manifest", "apps", List.of("--image=" + spec, "--", "web/\"odd\" name.yaml", "ünï\tcode"),
        "0123456789abcdef0123456789abcdef01234567", List.of("web 1.0 -> 2.0"), List.of("apps/web/deployment.yaml"));
  }

  @Test
  void intentsComeBackInTheOrderTheyWereRecorded() throws Exception {
    IntentStore store = new IntentStore(gitDir);
    store.add(intent("web:2.0"));
    store.add(intent("web:3.0"));
    store.add(intent("api:1.0"));

    assertThat(store.all()).containsExactly(intent("web:2.0"), intent("web:3.0"), intent("api:1.0"));
    assertThat(gitDir.resolve("bumper/intents")).isDirectoryContaining("glob:**/000003.json");
  }

  @Test
  void clearForgetsThemAll() throws Exception {
    IntentStore store = new IntentStore(gitDir);
    store.add(intent("web:2.0"));

    store.clear();

    assertThat(store.all()).isEmpty();
    store.add(intent("web:4.0"));
    assertThat(store.all()).containsExactly(intent("web:4.0"));
  }

  @Test
  void aFileThatIsNotAnIntentIsSkipped() throws Exception {
    IntentStore store = new IntentStore(gitDir);
    store.add(intent("web:2.0"));
    Files.writeString(gitDir.resolve("bumper/intents/000002.json"), "{\"version\": 99}");
    Files.writeString(gitDir.resolve("bumper/intents/000003.json"), "not: [json");
    Files.writeString(gitDir.resolve("bumper/intents/notes.txt"), "ignored");

    assertThat(store.all()).containsExactly(intent("web:2.0"));
  }

  @Test
  void noDirectoryMeansNoIntents() throws Exception {
    assertThat(new IntentStore(gitDir).all()).isEmpty();
    new IntentStore(gitDir).clear();
  }
}

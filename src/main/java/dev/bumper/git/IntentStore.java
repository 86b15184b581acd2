package dev.bumper.git;

import dev.bumper.edit.EditJson;
import dev.bumper.io.AtomicFiles;
import dev.bumper.io.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * The intents recorded in a repository, one JSON file each under {@code .git/bumper/intents/},
 * named by a sequence number, so that they replay in the order they were made, and a random part,
 * so that two writers never pick the same name. The directory is inside the git directory, so it
 * is never committed and never seen by {@code git status}.
 */
public final class IntentStore {
  private static final Pattern NAME = Pattern.compile("([0-9]{6,})(-[0-9a-f]{8,})?\\.json");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** 2: the edit as a value; 1 held the command's arguments. */
  private static final int VERSION = 2;

  private final Path dir;

  /** An intent and the file that records it. */
  public record Recorded(Path file, Intent intent) {}

  /** The store of the repository whose git directory is {@code gitDir}. */
  public IntentStore(Path gitDir) {
    this.dir = gitDir.resolve("bumper").resolve("intents");
  }

  /** Records an intent after the ones already there; returns its file. */
  public Path add(Intent intent) throws IOException {
    Files.createDirectories(dir);
    long next = 1;
    for (Path file : files()) {
      Matcher name = NAME.matcher(file.getFileName().toString());
      if (name.matches()) {
        next = Math.max(next, Long.parseLong(name.group(1)) + 1);
      }
    }
    Path file = dir.resolve("%06d-%08x.json".formatted(next, RANDOM.nextInt()));
    AtomicFiles.write(file, toJson(intent).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** The recorded intents, oldest first; a file that does not read as an intent is skipped. */
  public List<Intent> all() throws IOException {
    return recorded().stream().map(Recorded::intent).toList();
  }

  /** The recorded intents with their files, oldest first; a file that does not read as one is skipped. */
  public List<Recorded> recorded() throws IOException {
    List<Recorded> recorded = new ArrayList<>();
    for (Path file : files()) {
      Intent intent = parse(Files.readString(file, StandardCharsets.UTF_8));
      if (intent != null) {
        recorded.add(new Recorded(file, intent));
      }
    }
    return recorded;
  }

  /**
   * Forgets the given intents, and only those: they were pushed, or the tree they were made on is
   * gone. An intent recorded since they were read stays for the next commit-push.
   */
  public void remove(Collection<Recorded> spent) throws IOException {
    for (Recorded recorded : spent) {
      Files.deleteIfExists(recorded.file());
    }
  }

  private List<Path> files() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong((Path p) -> sequence(p)).thenComparing(Path::toString))
          .toList();
    }
  }

  private static long sequence(Path file) {
    Matcher name = NAME.matcher(file.getFileName().toString());
    return name.matches() ? Long.parseLong(name.group(1)) : 0;
  }

  static String toJson(Intent intent) {
    StringBuilder text = new StringBuilder();
    JsonWriter json = new JsonWriter(text);
    json.beginObject();
    json.name("version").value(VERSION);
    EditJson.write(json.name("edit"), intent.edit());
    json.name("base").value(intent.base());
    strings(json.name("summaries"), intent.summaries());
    strings(json.name("files"), intent.files());
    json.endObject();
    return text.append('\n').toString();
  }

  private static void strings(JsonWriter json, List<String> values) {
    json.beginArray();
    values.forEach(json::value);
    json.endArray();
  }

  /**
   * Reads an intent back; null when the text is not one (damaged, or written by another version:
   * its change is then carried over as a change made by hand).
   */
  static Intent parse(String text) {
    Object loaded;
    try {
      loaded = new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
    } catch (RuntimeException e) {
      return null;
    }
    if (!(loaded instanceof Map<?, ?> map) || !Integer.valueOf(VERSION).equals(map.get("version"))) {
      return null;
    }
    try {
      return new Intent(
          EditJson.read(map.get("edit")), (String) map.get("base"), strings(map.get("summaries")), strings(map.get("files")));
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      return null;
    }
  }

  private static List<String> strings(Object value) {
    List<String> strings = new ArrayList<>();
    for (Object item : (List<?>) value) {
      strings.add((String) item);
    }
    return strings;
  }
}

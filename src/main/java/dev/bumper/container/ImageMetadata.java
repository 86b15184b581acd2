package dev.bumper.container;

import dev.bumper.io.AtomicFiles;
import dev.bumper.io.JsonReader;
import dev.bumper.io.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code build-image} and {@code push} record about the image, for {@code --metadata-file}
 * and {@code --output json}, and what {@code bump-manifest --from-metadata} reads back.
 *
 * @param image the reference pinned by digest, {@code repository:tag@digest}
 * @param repository the name as given in {@code --to}
 * @param digest the manifest's (or index's) digest, the same in every registry
 * @param tags the tags it was pushed (or will be pushed) under
 * @param imageId the config's digest, or null for a multi-platform index
 * @param pushed whether it is in a registry now ({@code false} for {@code --tar})
 */
public record ImageMetadata(
    String image, String repository, String digest, List<String> tags, String imageId, boolean pushed) {

  static ImageMetadata of(ImageName to, List<String> tags, String digest, String imageId, boolean pushed) {
    String image = tags.isEmpty() ? to.name() + "@" + digest : to.name() + ":" + tags.get(0) + "@" + digest;
    return new ImageMetadata(image, to.name(), digest, List.copyOf(tags), imageId, pushed);
  }

  /** Writes this as one JSON object. */
  public void write(JsonWriter json) {
    json.beginObject()
        .name("image").value(image)
        .name("repository").value(repository)
        .name("digest").value(digest)
        .name("tags").beginArray();
    for (String tag : tags) {
      json.value(tag);
    }
    json.endArray()
        .name("imageId").value(imageId)
        .name("pushed").value(pushed)
        .endObject();
  }

  /** Writes this to {@code file}, atomically. */
  public void writeFile(Path file) {
    StringBuilder text = new StringBuilder();
    write(new JsonWriter(text));
    text.append('\n');
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw ContainerException.failure("cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads a metadata file.
   *
   * @throws ContainerException usage when it does not exist, invalid input when it is not one
   */
  public static ImageMetadata read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw ContainerException.usage("--from-metadata " + file + ": no such file");
    } catch (IOException e) {
      throw ContainerException.failure("cannot read " + file + ": " + e.getMessage());
    }
    Map<String, Object> json;
    try {
      json = JsonReader.parseObject(text);
    } catch (JsonReader.JsonException e) {
      throw ContainerException.invalidInput(file + ": " + e.getMessage());
    }
    if (!(json.get("repository") instanceof String repository) || repository.isEmpty()) {
      throw ContainerException.invalidInput(file + ": no \"repository\"; is it a file build-image or push wrote?");
    }
    if (!(json.get("digest") instanceof String digest) || !Digests.isSha256(digest)) {
      throw ContainerException.invalidInput(file + ": no sha256 \"digest\"");
    }
    List<String> tags = new ArrayList<>();
    if (json.get("tags") instanceof List<?> list) {
      for (Object tag : list) {
        if (tag instanceof String text1) {
          tags.add(text1);
        }
      }
    }
    String image = json.get("image") instanceof String i ? i : null;
    String imageId = json.get("imageId") instanceof String id ? id : null;
    return new ImageMetadata(image, repository, digest, tags, imageId, Boolean.TRUE.equals(json.get("pushed")));
  }
}

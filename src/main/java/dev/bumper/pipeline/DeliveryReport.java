package dev.bumper.pipeline;

import dev.bumper.io.JsonWriter;

/** What a delivery beyond the files did (a push, a pull request), for a command's output. */
public interface DeliveryReport {
  /** Its fields of the command's JSON object. */
  void json(JsonWriter json);

  /** It as one line of text. */
  String line();
}

package dev.corral.cli.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Marathon definition (app, group or pod) as the user wrote it. The original text is what gets sent (the
 * server sees exactly the file, field order and all); the parsed tree is only for checking it locally and for
 * messages.
 *
 * @param source the file name, or {@code <stdin>}
 */
public record Definition(String source, String text, JsonNode json) {
  public static final String STDIN = "-";

  /**
   * Reads {@code file}, or {@code stdin} when {@code file} is {@code -}, and checks that it holds one JSON
   * object.
   *
   * @param kind what the file should hold, for messages: {@code app definition}, {@code pod definition}
   * @throws DefinitionException with a one-line message when the file cannot be read or is not a JSON object
   */
  public static Definition read(String kind, String file, InputStream stdin) {
    String source = file.equals(STDIN) ? "<stdin>" : file;
    String text;
    try {
      text = file.equals(STDIN)
          ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DefinitionException("cannot read " + kind + " " + source + ": no such file", e);
    } catch (IOException e) {
      throw new DefinitionException("cannot read " + kind + " " + source + ": " + e.getMessage(), e);
    }
    // Checking locally turns a typo into a line/column message instead of a terse 400 from the server.
    JsonNode json;
    try {
      json = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new DefinitionException(source + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new DefinitionException(source + " must hold one JSON object (a Marathon " + kind + ")", null);
    }
    return new Definition(source, text, json);
  }
}

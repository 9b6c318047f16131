package dev.corral.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** {@code --json} output: the API's JSON, indented, so it can be piped to {@code jq} or saved and re-posted. */
public final class PrettyJson {
  private PrettyJson() {}

  public static void print(PrintWriter out, JsonNode json) {
    try {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
      out.flush();
    } catch (JsonProcessingException e) {
      // A tree that was just parsed always serializes; reaching this is a bug, not a user error.
      throw new UncheckedIOException(e);
    }
  }
}

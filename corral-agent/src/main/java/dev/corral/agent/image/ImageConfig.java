package dev.corral.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an image says about running it: the {@code config} of its OCI/Docker image configuration. Immutable.
 *
 * @param env {@code Env}, in order
 * @param entrypoint {@code Entrypoint}; empty when unset
 * @param cmd {@code Cmd}; empty when unset
 * @param workingDir {@code WorkingDir}; "" when unset
 * @param user {@code User} ({@code name}, {@code uid}, {@code uid:gid}); "" when unset
 */
public record ImageConfig(Map<String, String> env, List<String> entrypoint, List<String> cmd, String workingDir,
    String user) {
  public ImageConfig {
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
  }

  /** From an image configuration document (the blob the manifest's {@code config} names). */
  public static ImageConfig of(JsonNode imageJson) {
    JsonNode c = imageJson.path("config");
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : c.path("Env")) {
      String s = e.asText();
      int eq = s.indexOf('=');
      if (eq > 0) {
        env.put(s.substring(0, eq), s.substring(eq + 1));
      }
    }
    return new ImageConfig(env, strings(c.path("Entrypoint")), strings(c.path("Cmd")),
        c.path("WorkingDir").asText(""), c.path("User").asText(""));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}

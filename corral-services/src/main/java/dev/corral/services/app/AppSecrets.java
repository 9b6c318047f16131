package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where an app uses the cluster's secrets (Marathon's {@code secrets}: a name for each secret's
 * {@code source}, referenced by {@code env} values {@code {"secret": NAME}} and by {@code container.volumes}
 * entries {@code {"containerPath", "secret": NAME}}). The task carries only these references; its agent
 * reads the values from the master right before the launch (docs/secrets.md). Immutable.
 *
 * @param source the secret's path in the store ({@code db/password}; Marathon's leading {@code /} dropped)
 * @param envName the environment variable that holds the value, or ""
 * @param filePath the sandbox-relative file that holds it, or ""
 */
public record AppSecrets(String source, String envName, String filePath) {

  /** The app's uses of secrets: environment variables first, then files, each in the order given. */
  public static List<AppSecrets> of(JsonNode app) {
    JsonNode declared = app.path("secrets");
    List<AppSecrets> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = app.path("env").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String source = source(declared, e.getValue().path("secret").asText(""));
      if (source != null) {
        out.add(new AppSecrets(source, e.getKey(), ""));
      }
    }
    for (JsonNode v : app.path("container").path("volumes")) {
      String source = source(declared, v.path("secret").asText(""));
      if (source != null) {
        out.add(new AppSecrets(source, "", v.path("containerPath").asText()));
      }
    }
    return List.copyOf(out);
  }

  /** The store path of the secret an app declares under {@code name}; null when it declares none. */
  static String source(JsonNode declared, String name) {
    if (name.isEmpty() || !declared.path(name).path("source").isTextual()) {
      return null;
    }
    String source = declared.get(name).get("source").asText();
    return source.startsWith("/") ? source.substring(1) : source;
  }
}

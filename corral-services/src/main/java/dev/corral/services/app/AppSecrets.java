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
 * @param pullConfig whether it is the registry credentials (a Docker config.json) the image is pulled with
 */
public record AppSecrets(String source, String envName, String filePath, boolean pullConfig) {

  public AppSecrets(String source, String envName, String filePath) {
    this(source, envName, filePath, false);
  }

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
    addPullConfig(declared, app.path("container").path("docker").path("pullConfig"), out);
    return List.copyOf(out);
  }

  /** {@code pullConfig: {"secret": NAME}}: the credentials the image is pulled with. */
  private static void addPullConfig(JsonNode declared, JsonNode pullConfig, List<AppSecrets> out) {
    String source = source(declared, pullConfig.path("secret").asText(""));
    if (source != null) {
      out.add(new AppSecrets(source, "", "", true));
    }
  }

  /**
   * A pod container's uses of secrets: the pod's and the container's {@code environment} secrets (the
   * container's win on a clash), then its mounts of secret volumes ({@code volumes: [{name, secret}]}).
   */
  public static List<AppSecrets> ofPodContainer(JsonNode pod, JsonNode container) {
    JsonNode declared = pod.path("secrets");
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (JsonNode scope : List.of(pod.path("environment"), container.path("environment"))) {
      for (Iterator<Map.Entry<String, JsonNode>> it = scope.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String source = source(declared, e.getValue().path("secret").asText(""));
        if (source != null) {
          env.put(e.getKey(), source);
        } else {
          env.remove(e.getKey()); // a plain value of the container's replaces the pod's secret
        }
      }
    }
    List<AppSecrets> out = new ArrayList<>();
    env.forEach((name, source) -> out.add(new AppSecrets(source, name, "")));
    for (JsonNode mount : container.path("volumeMounts")) {
      String source = source(declared, secretVolume(pod, mount.path("name").asText()));
      if (source != null) {
        out.add(new AppSecrets(source, "", mount.path("mountPath").asText()));
      }
    }
    addPullConfig(declared, container.path("image").path("pullConfig"), out);
    return List.copyOf(out);
  }

  /** The secret name of the pod's volume {@code volume} when it is a secret volume, else "". */
  public static String secretVolume(JsonNode pod, String volume) {
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(volume) && v.path("secret").isTextual()) {
        return v.get("secret").asText();
      }
    }
    return "";
  }

  /** The store path of the secret an app declares under {@code name}; null when it declares none. */
  static String source(JsonNode declared, String name) {
    if (name.isEmpty() || !declared.path(name).path("source").isTextual()) {
      return null;
    }
    return dev.corral.state.SecretStore.pathOf(declared.get(name).get("source").asText());
  }
}

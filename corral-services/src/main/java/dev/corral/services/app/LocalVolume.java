package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A persistent local volume of an app (Marathon's {@code container.volumes} entry with {@code persistent}): disk
 * of one agent that the app's instance keeps across its tasks, so that a restarted task finds its data. An app
 * with one is resident: each instance reserves its resources on the agent it is first placed on and always
 * launches there. Immutable.
 *
 * @param containerPath where the task sees it: one directory name inside the sandbox (a pod's: the volume's
 *     name)
 * @param sizeMb Marathon's {@code persistent.size}
 */
public record LocalVolume(String containerPath, double sizeMb) {

  /** The app's persistent volumes, in the order given. */
  public static List<LocalVolume> of(JsonNode app) {
    List<LocalVolume> out = new ArrayList<>();
    for (JsonNode v : app.path("container").path("volumes")) {
      if (v.path("persistent").isObject()) {
        out.add(new LocalVolume(v.path("containerPath").asText(), v.path("persistent").path("size").asDouble()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * A pod's persistent volumes ({@code volumes} entries with {@code persistent}), named: the name stands for
   * the container path, and each container mounts the volume where its {@code volumeMounts} say.
   */
  public static List<LocalVolume> ofPod(JsonNode pod) {
    List<LocalVolume> out = new ArrayList<>();
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("persistent").isObject()) {
        out.add(new LocalVolume(v.path("name").asText(), v.path("persistent").path("size").asDouble()));
      }
    }
    return List.copyOf(out);
  }
}

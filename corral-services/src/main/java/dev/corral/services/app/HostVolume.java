package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory or file of the agent made visible to an app's tasks (Marathon's {@code container.volumes}
 * entry with a {@code hostPath}), with Mesos's meanings: a relative {@code hostPath} is inside the task's
 * sandbox (an artifact it fetched, say); a relative {@code containerPath} appears inside the sandbox, an
 * absolute one in the task's root filesystem (which needs the agent's {@code oci} containerizer). Secret
 * volumes are {@link AppSecrets}; persistent and external ones wait ({@link Unsupported}). Immutable.
 *
 * @param readOnly Marathon's {@code mode: RO}; {@code RW} (the default) otherwise
 */
public record HostVolume(String containerPath, String hostPath, boolean readOnly) {

  /** The app's host volumes, in the order given. */
  public static List<HostVolume> of(JsonNode app) {
    List<HostVolume> out = new ArrayList<>();
    for (JsonNode v : app.path("container").path("volumes")) {
      if (v.path("hostPath").isTextual() && !isOtherKind(v)) {
        out.add(new HostVolume(v.path("containerPath").asText(), v.get("hostPath").asText(),
            v.path("mode").asText("RW").equals("RO")));
      }
    }
    return List.copyOf(out);
  }

  /** A persistent, external or secret volume. */
  static boolean isOtherKind(JsonNode volume) {
    return volume.has("persistent") || volume.has("external") || volume.has("secret");
  }
}

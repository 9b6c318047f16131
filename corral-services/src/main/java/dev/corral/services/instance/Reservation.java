package dev.corral.services.instance;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a resident instance (an app with persistent volumes) holds on its agent: resources reserved for the
 * scheduler's role and its persistent volumes. Its tasks always launch there, on these. Immutable.
 *
 * @param attributes the agent's attributes when the reservation was made, for constraints and the API
 * @param scalars the amounts reserved by name (cpus, mem, disk, gpus), the volumes' disk included
 * @param madeBy the task whose launch call made the reservation: if the master drops that call unread, nothing
 *     was reserved and the instance starts over
 */
public record Reservation(String agentId, String host, Map<String, String> attributes, String role,
    Map<String, Double> scalars, List<Volume> volumes, String madeBy) {

  /** One persistent volume: the master's id for it, where the task sees it, its size in MB. */
  public record Volume(String persistenceId, String containerPath, double sizeMb) {
    public Volume {
      Objects.requireNonNull(persistenceId, "persistenceId");
      Objects.requireNonNull(containerPath, "containerPath");
    }
  }

  public Reservation {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(role, "role");
    madeBy = madeBy == null ? "" : madeBy;
    attributes = Map.copyOf(attributes);
    scalars = Collections.unmodifiableMap(new TreeMap<>(scalars)); // sorted: the same order in every call
    volumes = List.copyOf(volumes);
  }

  public Reservation madeBy(String taskId) {
    return new Reservation(agentId, host, attributes, role, scalars, volumes, taskId);
  }

  /** What the instance's task uses of the reservation: all of it but the volumes' disk. */
  public Map<String, Double> taskShare() {
    Map<String, Double> out = new TreeMap<>(scalars);
    double volumeDisk = volumes.stream().mapToDouble(Volume::sizeMb).sum();
    out.computeIfPresent("disk", (n, v) -> v - volumeDisk > 1e-6 ? v - volumeDisk : null);
    return out;
  }

  /** The volume mounted at {@code containerPath}, or null. */
  public Volume volumeAt(String containerPath) {
    for (Volume v : volumes) {
      if (v.containerPath().equals(containerPath)) {
        return v;
      }
    }
    return null;
  }
}

package dev.corral.master;

import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.PersistentVolume;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import dev.corral.api.v1.Volumes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of an agent's persistent volumes are in use, which are offered, and whether a launch may mount them.
 * A volume is in use while a task that mounts it holds resources; only agents with volumes pay for the look.
 * Loop thread only.
 */
final class PersistentVolumes {
  private PersistentVolumes() {}

  /** The persistence ids live tasks on the agent mount. */
  static Set<String> inUse(MasterState state, Agent agent) {
    Set<String> out = new HashSet<>();
    if (state.reservations.volumesOf(agent.id).isEmpty()) {
      return out;
    }
    for (TaskKey key : agent.tasks) {
      Task task = state.tasks.get(key);
      if (task != null && task.holdsResources) {
        addMounted(task.info, out);
      }
    }
    return out;
  }

  /** The agent's volumes of {@code role} that no task uses: what an offer to a framework of that role shows. */
  static List<PersistentVolume> free(MasterState state, Agent agent, String role) {
    List<PersistentVolume> all = state.reservations.volumesOf(agent.id);
    if (all.isEmpty()) {
      return List.of();
    }
    Set<String> used = inUse(state, agent);
    List<PersistentVolume> out = new ArrayList<>();
    for (PersistentVolume v : all) {
      if (v.getRole().equals(role) && !used.contains(v.getPersistenceId())) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Why the task cannot mount the volumes it names, or null: each must be the agent's, of the framework's role,
   * and used by no live task nor by another task of the same call ({@code taken}, which this adds to).
   */
  static String problem(MasterState state, Agent agent, String role, TaskInfo task, Set<String> taken) {
    Set<String> named = new HashSet<>();
    addMounted(task, named);
    return problem(state, agent, role, named, taken);
  }

  /** The same for a task group, whose tasks may share a volume. */
  static String problem(MasterState state, Agent agent, String role, TaskGroupInfo group, Set<String> taken) {
    Set<String> named = new HashSet<>();
    group.getTasksList().forEach(task -> addMounted(task, named));
    return problem(state, agent, role, named, taken);
  }

  private static String problem(MasterState state, Agent agent, String role, Set<String> named, Set<String> taken) {
    if (named.isEmpty()) {
      return null;
    }
    Set<String> used = inUse(state, agent);
    for (String id : named) {
      PersistentVolume v = ReservationOps.find(state.reservations.volumesOf(agent.id), id);
      if (v == null || !v.getRole().equals(role)) {
        return "agent " + agent.id + " has no persistent volume '" + id + "' of role '" + role + "'";
      }
      if (used.contains(id) || taken.contains(id)) {
        return "persistent volume '" + id + "' on agent " + agent.id + " is in use by another task";
      }
    }
    taken.addAll(named);
    return null;
  }

  /** What the agent is told it holds: it deletes the data of any other volume of its own. */
  static MasterMessage message(List<PersistentVolume> volumes) {
    return MasterMessage.newBuilder().setVolumes(Volumes.newBuilder().addAllVolumes(volumes)).build();
  }

  private static void addMounted(TaskInfo task, Set<String> out) {
    for (VolumeMount m : task.getVolumeMountsList()) {
      if (!m.getPersistenceId().isEmpty()) {
        out.add(m.getPersistenceId());
      }
    }
  }
}

package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.TaskInfo;
import java.util.Set;
import java.util.function.Function;

/**
 * Validation of one task of an Accept, as a pure function: why the task cannot launch from what is left
 * of the offers, or null when it can.
 */
final class LaunchCheck {
  private LaunchCheck() {}

  /**
   * @param task      the task as the framework sent it
   * @param resources its resources, already parsed (null when they did not parse; see {@code parseError})
   * @param left      what remains of the accepted offers after the tasks before it
   * @param inCall    task ids launched earlier in the same call
   * @param tableRow  the framework's row of the task table for a task id, or null; refuses ids still live
   */
  static String problem(TaskInfo task, ResourceSet resources, String parseError, ResourceSet left,
      Set<String> inCall, Function<String, Task> tableRow) {
    String id = task.getTaskId();
    if (id.isEmpty()) {
      return "task has no task_id";
    }
    if (inCall.contains(id)) {
      return "task " + id + " appears twice in this call";
    }
    Task existing = tableRow.apply(id);
    if (existing != null && !TaskLifecycle.isTerminal(existing.latest.getState())) {
      return "task id " + id + " is already used by a live task (" + existing.latest.getState() + ")";
    }
    // a task with an image may run the image's own entrypoint
    if (task.getCommand().getValue().isBlank() && task.getContainer().getImage().isEmpty()) {
      return "task " + id + " has no command";
    }
    if (resources == null) {
      return "task " + id + " has invalid resources: " + parseError;
    }
    if (resources.isEmpty()) {
      return "task " + id + " asks for no resources";
    }
    if (!left.contains(resources)) {
      return "task " + id + " " + Resources.shortfall(resources, left);
    }
    return null;
  }
}

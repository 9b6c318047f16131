package dev.corral.agent.tasks;

import java.util.regex.Pattern;

/**
 * Task ids name directories (sandbox, checkpoint, cgroup), so only ids that are safe file names are run.
 * Marathon's ids ({@code group_app.instance-UUID._app.1}) and Mesos-style ids all qualify.
 */
final class TaskIds {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@+-]{1,200}");

  private TaskIds() {}

  /** Why the id cannot be used, or null when it can. */
  static String problem(String id) {
    if (id.isEmpty()) {
      return "the task id is empty";
    }
    if (!SAFE.matcher(id).matches() || id.equals(".") || id.equals("..")) {
      return "task id '" + id + "' is not usable as a file name (allowed: letters, digits, . _ : @ + -, "
          + "at most 200 characters)";
    }
    return null;
  }
}

package dev.corral.agent.files;

/**
 * What the files API tells about a task besides its files: the first {@code meta} event of a log stream.
 *
 * @param frameworkId "" when the agent no longer knows the task (it ended and was forgotten)
 * @param appId the Marathon app id ({@code MARATHON_APP_ID}), "" when the task has none
 * @param live whether the task's process may still be alive, so its logs may still grow
 */
public record TaskFacts(String taskId, String frameworkId, String appId, boolean live) {
  /** A task whose sandbox exists but that the agent no longer tracks: it has ended. */
  public static TaskFacts ended(String taskId) {
    return new TaskFacts(taskId, "", "", false);
  }
}

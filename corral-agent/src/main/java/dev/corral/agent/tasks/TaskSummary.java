package dev.corral.agent.tasks;

import dev.corral.api.v1.TaskInfo;

/**
 * What readers outside the event loop may know of one task in the agent's table (the files and logs API).
 * Immutable.
 *
 * @param live whether the task's process may still be alive (its logs may still grow)
 */
public record TaskSummary(TaskInfo task, String frameworkId, boolean live) {}

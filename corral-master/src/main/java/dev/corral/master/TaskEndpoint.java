package dev.corral.master;

/**
 * Where a task's sandbox and logs are served: its agent's HTTP API. Immutable.
 *
 * @param host the agent's advertised HTTP address (its hostname unless it listens on one address)
 * @param httpPort 0 when the agent serves no files API (an older agent, or one started without it)
 * @param state the task's last known state, e.g. {@code TASK_RUNNING}
 * @param current false when the task has left the master's table and is remembered only for its sandbox
 */
public record TaskEndpoint(String taskId, String frameworkId, String agentId, String host, int httpPort,
    String state, boolean current) {}

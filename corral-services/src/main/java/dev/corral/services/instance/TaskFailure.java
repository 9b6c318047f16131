package dev.corral.services.instance;

import java.time.Instant;

/**
 * The last unexpected end of one of an app's tasks, shown as Marathon's {@code lastTaskFailure}.
 *
 * @param message what happened, in plain words (the agent's message, or one derived from the status)
 * @param state the Mesos task state, e.g. TASK_FAILED
 */
public record TaskFailure(String appId, String host, String message, String state, String taskId,
    Instant timestamp, String version, String slaveId) {}

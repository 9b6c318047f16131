package dev.corral.agent.containerizer;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import java.nio.file.Path;

/**
 * One task to start.
 *
 * @param sandbox the task's working directory, where its stdout and stderr files go
 * @param metaDir the task's checkpoint directory, where the monitor writes {@code exit_status}
 */
public record LaunchRequest(TaskInfo task, FrameworkInfo framework, String agentId, Path sandbox, Path metaDir) {}

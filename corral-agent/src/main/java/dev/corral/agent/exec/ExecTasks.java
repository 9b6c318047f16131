package dev.corral.agent.exec;

import dev.corral.agent.tasks.TaskProcess;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's task table as exec reads it. The table belongs to the agent's event loop, so answers come back
 * as futures; implementations must never complete them on a thread that then blocks.
 */
public interface ExecTasks {
  /** The task, running or not; empty for a task the agent never ran or forgot after it ended. */
  CompletableFuture<Optional<TaskProcess>> find(String taskId);
}

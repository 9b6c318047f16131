package dev.corral.agent.files;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's task table as the files API reads it. The table belongs to the agent's event loop, so
 * answers come back as futures; implementations must never complete them on a thread that then blocks.
 */
public interface TaskLookup {
  /** The task if the agent still tracks it; empty for tasks it never ran or forgot after they ended. */
  CompletableFuture<Optional<TaskFacts>> find(String taskId);

  /** Ids of the tasks whose logs may still grow (their process may be alive). */
  CompletableFuture<List<String>> liveTaskIds();
}

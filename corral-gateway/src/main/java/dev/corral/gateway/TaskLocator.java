package dev.corral.gateway;

import dev.corral.master.TaskEndpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Finds the agent that has a task's sandbox; in a master node, {@code Master::taskEndpoint}. */
@FunctionalInterface
public interface TaskLocator {
  CompletableFuture<Optional<TaskEndpoint>> locate(String taskId);
}

package dev.corral.gateway;

import dev.corral.master.TaskEndpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which app or pod a task belongs to, for permissions per app on a task's logs, files and exec; in a master
 * node, the services scheduler's {@code runSpecOfTask} for tasks of its framework.
 */
@FunctionalInterface
public interface TaskOwner {
  /** No task belongs to an app: only cluster-wide permissions apply. */
  TaskOwner NONE = task -> CompletableFuture.completedFuture(Optional.empty());

  /** The app or pod id (such as {@code /prod/web}); empty for a task of another framework. */
  CompletableFuture<Optional<String>> runSpecOf(TaskEndpoint task);

  /** {@link #runSpecOf} waited for (the scheduler answers from memory); null when the task is no app's. */
  default String await(TaskEndpoint task) throws InterruptedException, ExecutionException, TimeoutException {
    return runSpecOf(task).get(10, TimeUnit.SECONDS).orElse(null);
  }
}

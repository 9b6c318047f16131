package dev.corral.agent;

import dev.corral.agent.files.TaskFacts;
import dev.corral.agent.files.TaskLookup;
import dev.corral.agent.tasks.TaskSupervisor;
import dev.corral.common.EventLoop;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The files API's view of the task table: each question runs on the agent's loop, which owns the table. */
final class TaskLookupOnLoop implements TaskLookup {
  private final EventLoop loop;
  private final TaskSupervisor supervisor;

  TaskLookupOnLoop(EventLoop loop, TaskSupervisor supervisor) {
    this.loop = loop;
    this.supervisor = supervisor;
  }

  @Override
  public CompletableFuture<Optional<TaskFacts>> find(String taskId) {
    return onLoop(() -> supervisor.summary(taskId).map(s -> new TaskFacts(taskId, s.frameworkId(),
        s.task().getCommand().getEnvironmentOrDefault("MARATHON_APP_ID", ""), s.live())));
  }

  @Override
  public CompletableFuture<List<String>> liveTaskIds() {
    return onLoop(supervisor::liveTaskIds);
  }

  private <T> CompletableFuture<T> onLoop(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          result.complete(work.get());
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e); // the loop is shut down
    }
    return result;
  }
}

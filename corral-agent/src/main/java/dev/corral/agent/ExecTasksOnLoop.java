package dev.corral.agent;

import dev.corral.agent.exec.ExecTasks;
import dev.corral.agent.tasks.TaskProcess;
import dev.corral.agent.tasks.TaskSupervisor;
import dev.corral.common.EventLoop;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The exec API's view of the task table: each question runs on the agent's loop, which owns the table. */
final class ExecTasksOnLoop implements ExecTasks {
  private final EventLoop loop;
  private final TaskSupervisor supervisor;

  ExecTasksOnLoop(EventLoop loop, TaskSupervisor supervisor) {
    this.loop = loop;
    this.supervisor = supervisor;
  }

  @Override
  public CompletableFuture<Optional<TaskProcess>> find(String taskId) {
    CompletableFuture<Optional<TaskProcess>> result = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          result.complete(supervisor.process(taskId));
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

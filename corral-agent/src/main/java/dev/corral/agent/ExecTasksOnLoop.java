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
    return loop.call(() -> supervisor.process(taskId));
  }
}

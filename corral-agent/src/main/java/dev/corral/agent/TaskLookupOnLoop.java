package dev.corral.agent;

import dev.corral.agent.files.TaskFacts;
import dev.corral.agent.files.TaskLookup;
import dev.corral.agent.tasks.TaskSupervisor;
import dev.corral.common.EventLoop;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
    return loop.call(() -> supervisor.summary(taskId).map(s -> new TaskFacts(taskId, s.frameworkId(),
        s.task().getCommand().getEnvironmentOrDefault("MARATHON_APP_ID", ""), s.live())));
  }

  @Override
  public CompletableFuture<List<String>> liveTaskIds() {
    return loop.call(supervisor::liveTaskIds);
  }
}

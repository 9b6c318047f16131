package dev.corral.agent;

import dev.corral.agent.metrics.ContainerInfo;
import dev.corral.agent.metrics.ContainerLookup;
import dev.corral.agent.tasks.TaskSummary;
import dev.corral.agent.tasks.TaskSupervisor;
import dev.corral.common.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The metrics' view of the task table: each question runs on the agent's loop, which owns the table. */
final class ContainerLookupOnLoop implements ContainerLookup {
  private final EventLoop loop;
  private final TaskSupervisor supervisor;

  ContainerLookupOnLoop(EventLoop loop, TaskSupervisor supervisor) {
    this.loop = loop;
    this.supervisor = supervisor;
  }

  @Override
  public CompletableFuture<List<ContainerInfo>> running() {
    return loop.call(() -> {
      List<ContainerInfo> out = new ArrayList<>();
      for (String id : supervisor.liveTaskIds()) {
        supervisor.summary(id).ifPresent(s -> out.add(info(s)));
      }
      return out;
    });
  }

  @Override
  public CompletableFuture<Optional<ContainerInfo>> find(String containerId) {
    return loop.call(() -> supervisor.summary(containerId).filter(TaskSummary::live).map(ContainerLookupOnLoop::info));
  }

  private static ContainerInfo info(TaskSummary s) {
    String app = s.task().getCommand().getEnvironmentOrDefault("MARATHON_APP_ID", "");
    return new ContainerInfo(s.task().getTaskId(), s.frameworkId(), "", s.task().getName(),
        app.isEmpty() ? s.task().getName() : app, s.task().getLabelsMap());
  }
}

package dev.corral.agent.tasks;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.checkpoint.CheckpointStore;
import dev.corral.agent.checkpoint.PendingUpdate;
import dev.corral.agent.checkpoint.TaskCheckpoint;
import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.Containerizer;
import dev.corral.api.TaskLifecycle;
import dev.corral.common.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the checkpoint at start and decides, per task, what happened while the agent was down. Nothing is
 * restarted and nothing alive is killed:
 * <ul>
 *   <li>terminal update still pending: the task ended before; it waits for its acknowledgement;
 *   <li>monitor alive (pid and start time match): the task runs on, same pid; its end is found by polling;
 *   <li>monitor gone: the task ended while the agent was down; its exit status comes from the file the
 *       monitor wrote (or is unknown), leftovers in its cgroups are killed, a terminal update is written;
 *   <li>still fetching (never started): it fails with "agent restarted while fetching"; the fetch is not
 *       resumed, its scheduler launches a replacement.
 * </ul>
 * Runs before the agent registers, so the re-registration can list every task with its latest status.
 * Blocking; tasks are examined in parallel on the given executor.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final CheckpointStore store;
  private final Containerizer containerizer;
  private final TaskWork work;
  private final StatusFactory statuses;

  public Recovery(CheckpointStore store, Containerizer containerizer, StatusFactory statuses) {
    this.store = store;
    this.statuses = statuses;
    this.containerizer = containerizer;
    this.work = new TaskWork(store, containerizer, statuses);
  }

  public List<RecoveredTask> recover(String agentId, Executor workers) {
    List<CompletableFuture<RecoveredTask>> futures = new ArrayList<>();
    for (TaskCheckpoint cp : store.readTasks()) {
      futures.add(CompletableFuture.supplyAsync(() -> recoverOne(cp, agentId), workers));
    }
    List<RecoveredTask> out = new ArrayList<>();
    futures.forEach(f -> out.add(f.join()));
    return out;
  }

  private RecoveredTask recoverOne(TaskCheckpoint cp, String agentId) {
    String id = cp.taskId();
    TaskCgroup cgroup = containerizer.cgroupOf(id);
    boolean ended = cp.pending().stream().anyMatch(u -> TaskLifecycle.isTerminal(u.status().getState()));
    if (ended) {
      return new RecoveredTask(cp, TaskPhase.EXITED, cgroup, cp.pending());
    }
    if (cp.pids() != null && ProcStat.alive(cp.pids().monitorPid(), cp.pids().monitorStart())) {
      log.info("task {} is still running (pid {})", id, cp.pids().taskPid());
      return new RecoveredTask(cp, cp.killRequested() ? TaskPhase.KILLING : TaskPhase.RUNNING, cgroup,
          cp.pending());
    }
    String frameworkId = cp.task().getFrameworkId().isEmpty()
        ? cp.framework().getFrameworkId() : cp.task().getFrameworkId();
    if (cp.pids() == null && store.isFetching(id)) {
      // The fetch is not resumed: the task fails and its scheduler launches it again.
      PendingUpdate update = work.record(id,
          statuses.restartedWhileFetching(cp.task(), frameworkId, agentId, Ids.uuid()), cp.lastSeq() + 1);
      List<PendingUpdate> pending = new ArrayList<>(cp.pending());
      pending.add(update);
      return new RecoveredTask(cp, TaskPhase.EXITED, cgroup, pending);
    }
    PendingUpdate update = work.collect(cp.task(), frameworkId, agentId, cp.pids(), cgroup, cp.killRequested(),
        true, cp.lastSeq() + 1);
    List<PendingUpdate> pending = new ArrayList<>(cp.pending());
    pending.add(update);
    return new RecoveredTask(cp, TaskPhase.EXITED, cgroup, pending);
  }
}

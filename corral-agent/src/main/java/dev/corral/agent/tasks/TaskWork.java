package dev.corral.agent.tasks;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.checkpoint.CheckpointStore;
import dev.corral.agent.checkpoint.PendingUpdate;
import dev.corral.agent.containerizer.ExitFacts;
import dev.corral.agent.containerizer.LaunchException;
import dev.corral.agent.containerizer.LaunchRequest;
import dev.corral.agent.containerizer.Launched;
import dev.corral.agent.containerizer.Containerizer;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.Ids;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking steps of a task's life, run on worker threads: launch, signal, collect the exit. Each step
 * that produces a status update checkpoints it before returning, so the event loop only ever sees updates
 * that a restart will find again. Takes and returns immutable values only; stateless and thread-safe.
 */
final class TaskWork {
  private static final Logger log = LoggerFactory.getLogger(TaskWork.class);

  /** A launch's result: {@code launched} is null when it failed, and {@code update} then says why. */
  record LaunchOutcome(Launched launched, PendingUpdate update) {}

  private final CheckpointStore store;
  private final Containerizer containerizer;
  private final StatusFactory statuses;

  TaskWork(CheckpointStore store, Containerizer containerizer, StatusFactory statuses) {
    this.store = store;
    this.containerizer = containerizer;
    this.statuses = statuses;
  }

  /**
   * Checkpoints the task, starts it, checkpoints its pids, and returns its RUNNING (or checkpointed FAILED)
   * update. RUNNING is not checkpointed: after an agent restart the live monitor says the task runs, and
   * the re-registration reports it, so a file written and deleted per launch would buy nothing (every
   * file created costs inode allocation, the largest kernel cost of a burst of launches).
   */
  /**
   * @param secrets what the task's secrets add (variables, bind mounts): given to the containerizer, never
   *     written into the task's checkpoint
   */
  LaunchOutcome launch(TaskInfo task, TaskSecretFiles.Given secrets, FrameworkInfo framework, String frameworkId,
      String agentId, int seq) {
    String id = task.getTaskId();
    try {
      store.writeTask(task, framework);
      Files.createDirectories(store.sandbox(id));
      Launched launched = containerizer.launch(
          new LaunchRequest(secrets.applyTo(task), framework, agentId, store.sandbox(id), store.taskDir(id)));
      try {
        store.writePids(id, launched.pids());
      } catch (IOException e) {
        log.error("task {} runs but its pids are not checkpointed; a restart will not find it", id, e);
      }
      // the message names the containerizer, so an operator sees where the task runs
      PendingUpdate running = new PendingUpdate(seq, statuses.running(task, frameworkId, agentId, Ids.uuid())
          .toBuilder().setMessage("containerizer: " + launched.containerizer())
          .addAllIpAddresses(launched.ipAddresses()).build());
      log.info("task {} running in {}, pid {}", id, launched.containerizer(), launched.pids().taskPid());
      return new LaunchOutcome(launched, running);
    } catch (LaunchException | IOException | RuntimeException e) {
      String message = e instanceof LaunchException ? e.getMessage() : "cannot launch the task: " + e;
      log.warn("task {} failed to launch: {}", id, message);
      PendingUpdate failed =
          new PendingUpdate(seq, statuses.launchFailed(task, frameworkId, agentId, message, Ids.uuid()));
      persist(id, failed);
      return new LaunchOutcome(null, failed);
    }
  }

  /** After the monitor is gone: how the task ended, cleanup, and the checkpointed terminal update. */
  PendingUpdate collect(TaskInfo task, String frameworkId, String agentId, TaskPids pids, TaskCgroup cgroup,
      boolean killRequested, boolean endedWhileDown, int seq) {
    String id = task.getTaskId();
    ExitFacts facts;
    try {
      facts = containerizer.collect(id, store.taskDir(id), pids, cgroup, !endedWhileDown);
    } catch (RuntimeException e) {
      log.error("cannot collect the exit of task {}", id, e);
      facts = new ExitFacts(null, false);
    }
    TaskStatus status =
        statuses.terminal(task, frameworkId, agentId, facts, killRequested, endedWhileDown, Ids.uuid());
    PendingUpdate update = new PendingUpdate(seq, status);
    persist(id, update);
    log.info("task {} ended{}: {} {}", id, endedWhileDown ? " while the agent was down" : "", status.getState(),
        status.getMessage());
    return update;
  }

  /** Checkpoints a terminal update decided on the loop (a failed or killed fetch) and returns it. */
  PendingUpdate record(String taskId, TaskStatus status, int seq) {
    PendingUpdate update = new PendingUpdate(seq, status);
    persist(taskId, update);
    log.info("task {} ended before it started: {} {}", taskId, status.getState(), status.getMessage());
    return update;
  }

  /** Records that a kill was asked for (so a restart reports KILLED, not FAILED by SIGTERM), then SIGTERM. */
  void terminate(String taskId, TaskPids pids) {
    try {
      store.markKillRequested(taskId);
    } catch (IOException e) {
      log.warn("cannot checkpoint the kill of task {}: {}", taskId, e.toString());
    }
    containerizer.terminate(taskId, pids);
  }

  void forceKill(String taskId, TaskPids pids, TaskCgroup cgroup) {
    containerizer.forceKill(taskId, pids, cgroup);
  }

  private void persist(String taskId, PendingUpdate update) {
    try {
      store.writeUpdate(taskId, update);
    } catch (IOException e) {
      log.error("cannot checkpoint update {} of task {}; it is sent anyway", update.uuid(), taskId, e);
    }
  }
}

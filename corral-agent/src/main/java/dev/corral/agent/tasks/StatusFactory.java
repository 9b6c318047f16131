package dev.corral.agent.tasks;

import dev.corral.agent.containerizer.ExitFacts;
import dev.corral.agent.health.HealthReport;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.time.Clock;
import java.util.List;

/**
 * Builds the status updates the agent reports. Pure apart from the injected clock; uuids are passed in
 * (an empty uuid marks an answer that needs no acknowledgement). Thread-safe.
 */
public final class StatusFactory {
  static final String RESTARTED_WHILE_FETCHING = "agent restarted while fetching";
  static final String UNKNOWN_WHILE_DOWN = "task ended while the agent was down; exit status unknown";
  private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
      "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
      "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");

  private final Clock clock;

  public StatusFactory(Clock clock) {
    this.clock = clock;
  }

  /** RUNNING; a task with readiness checks is reported not ready yet. */
  public TaskStatus running(TaskInfo task, String frameworkId, String agentId, String uuid) {
    TaskStatus.Builder b = base(task.getTaskId(), frameworkId, agentId, uuid).setState(TaskState.TASK_RUNNING);
    if (task.getReadinessChecksCount() > 0) {
      b.setReady(false);
    }
    return b.build();
  }

  /** A RUNNING update that reports the task's checks: its health changed, or it became ready. */
  public TaskStatus health(TaskInfo task, String frameworkId, String agentId, HealthReport report, String uuid) {
    TaskStatus.Builder b = base(task.getTaskId(), frameworkId, agentId, uuid).setState(TaskState.TASK_RUNNING)
        .setReason(report.trigger() == HealthReport.Trigger.HEALTH
            ? StatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED : StatusReason.REASON_TASK_CHECK_STATUS_UPDATED)
        .setMessage(report.message())
        .addAllHealthResults(report.results());
    if (report.healthy() != null) {
      b.setHasHealth(true).setHealthy(report.healthy());
    }
    if (report.ready() != null) {
      b.setReady(report.ready());
    }
    return b.build();
  }

  /** What re-registration reports for a task still being launched; never acknowledged. */
  public TaskStatus staging(TaskInfo task, String frameworkId, String agentId) {
    return base(task.getTaskId(), frameworkId, agentId, "").setState(TaskState.TASK_STAGING).build();
  }

  /** STARTING while the task's artifacts are fetched, naming the one being fetched. */
  public TaskStatus fetching(TaskInfo task, String frameworkId, String agentId, String uri, String uuid) {
    return starting(task, frameworkId, agentId, "fetching " + uri, uuid);
  }

  /** A STARTING update while the task is prepared: "fetching URI", "pulling IMAGE". */
  public TaskStatus starting(TaskInfo task, String frameworkId, String agentId, String message, String uuid) {
    return base(task.getTaskId(), frameworkId, agentId, uuid).setState(TaskState.TASK_STARTING)
        .setMessage(message).build();
  }

  /** A kill that came while the task's artifacts were being fetched: the task never ran. */
  public TaskStatus killedWhileFetching(TaskInfo task, String frameworkId, String agentId, String uuid) {
    return base(task.getTaskId(), frameworkId, agentId, uuid).setState(TaskState.TASK_KILLED)
        .setReason(StatusReason.REASON_TASK_KILLED).setMessage("Task killed on request while fetching").build();
  }

  /** A task whose fetch the agent's restart cut short; nothing of it ran, and the fetch is not resumed. */
  public TaskStatus restartedWhileFetching(TaskInfo task, String frameworkId, String agentId, String uuid) {
    return base(task.getTaskId(), frameworkId, agentId, uuid).setState(TaskState.TASK_FAILED)
        .setReason(StatusReason.REASON_AGENT_RESTARTED).setMessage(RESTARTED_WHILE_FETCHING).build();
  }

  public TaskStatus launchFailed(TaskInfo task, String frameworkId, String agentId, String message, String uuid) {
    return base(task.getTaskId(), frameworkId, agentId, uuid).setState(TaskState.TASK_FAILED)
        .setReason(StatusReason.REASON_CONTAINER_LAUNCH_FAILED).setMessage(message).build();
  }

  /** A task the agent refuses to start (e.g. an id that cannot name a directory); never acknowledged. */
  public TaskStatus invalid(TaskInfo task, String frameworkId, String agentId, String message) {
    return base(task.getTaskId(), frameworkId, agentId, "").setState(TaskState.TASK_ERROR)
        .setReason(StatusReason.REASON_TASK_INVALID).setMessage(message).build();
  }

  /** A task not started because the agent is shutting down; never acknowledged. */
  public TaskStatus dropped(TaskInfo task, String frameworkId, String agentId) {
    return base(task.getTaskId(), frameworkId, agentId, "").setState(TaskState.TASK_DROPPED)
        .setReason(StatusReason.REASON_AGENT_SHUTDOWN).setMessage("the agent is shutting down").build();
  }

  /** The answer to a kill for a task this agent does not know; never acknowledged. */
  public TaskStatus unknown(String taskId, String frameworkId, String agentId) {
    return base(taskId, frameworkId, agentId, "").setState(TaskState.TASK_LOST)
        .setReason(StatusReason.REASON_TASK_UNKNOWN).setMessage("task is not known to this agent").build();
  }

  /**
   * The terminal update. Precedence: a requested kill is KILLED whatever the exit looked like (a task may
   * exit 0 on SIGTERM); then an OOM kill; then the exit status.
   *
   * @param endedWhileDown the task ended while the agent was not running
   */
  public TaskStatus terminal(TaskInfo task, String frameworkId, String agentId, ExitFacts facts,
      boolean killRequested, boolean endedWhileDown, String uuid) {
    TaskStatus.Builder b = base(task.getTaskId(), frameworkId, agentId, uuid);
    Integer status = facts.exitStatus();
    int signal = facts.signal();
    if (status != null) {
      if (signal > 0) {
        b.setSignal(signal);
      } else {
        b.setExitStatus(status);
      }
    }
    if (killRequested) {
      return b.setState(TaskState.TASK_KILLED).setReason(StatusReason.REASON_TASK_KILLED)
          .setMessage("Task killed on request" + (status == null ? "" : ": " + describe(status, signal))).build();
    }
    if (facts.oomKilled()) {
      return b.setState(TaskState.TASK_FAILED).setReason(StatusReason.REASON_CONTAINER_LIMITATION_MEMORY)
          .setMessage("Memory limit exceeded: killed by the OOM killer (limit " + memLimit(task) + " MB)").build();
    }
    if (status == null) {
      return b.setState(TaskState.TASK_FAILED)
          .setReason(endedWhileDown ? StatusReason.REASON_AGENT_RESTARTED : StatusReason.REASON_COMMAND_EXITED)
          .setMessage(endedWhileDown ? UNKNOWN_WHILE_DOWN
              : "task monitor ended without recording an exit status").build();
    }
    return b.setState(status == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED)
        .setReason(StatusReason.REASON_COMMAND_EXITED).setMessage(describe(status, signal)).build();
  }

  static String describe(int status, int signal) {
    if (signal > 0) {
      String name = signal < SIGNALS.size() ? " (" + SIGNALS.get(signal) + ")" : "";
      return "Command terminated by signal " + signal + name;
    }
    return "Command exited with status " + status;
  }

  private static String memLimit(TaskInfo task) {
    double mb = ResourceSet.fromProto(task.getResourcesList()).scalar("mem");
    return mb == Math.rint(mb) ? Long.toString((long) mb) : Double.toString(mb);
  }

  private TaskStatus.Builder base(String taskId, String frameworkId, String agentId, String uuid) {
    return TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId(frameworkId).setAgentId(agentId)
        .setSource(StatusSource.SOURCE_AGENT).setTimestampMillis(clock.millis()).setUuid(uuid);
  }
}

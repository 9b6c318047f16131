package dev.corral.master;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.Acknowledgement;
import dev.corral.api.v1.KillCall;
import dev.corral.api.v1.KillTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.ReconcileCall;
import dev.corral.api.v1.StatusAcknowledgement;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskKill;
import dev.corral.api.v1.TaskState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/** KILL, ACKNOWLEDGE and RECONCILE. Loop thread only. */
final class TaskCalls {
  /**
   * Tasks reconciled per turn of the loop. A scheduler taking over after a failover reconciles every task
   * it has (100,000 in the failover benchmark): in one turn that held the first agents' re-registrations
   * back for most of a second, and with them the first offers; in turns, what arrives meanwhile gets in.
   */
  static final int RECONCILE_BATCH = 1_000;

  private final MasterState state;
  private final Gate gate;
  private final Subscriptions subscriptions;
  private final Reconciliations reconciliations;

  TaskCalls(MasterState state, Gate gate, Subscriptions subscriptions, Reconciliations reconciliations) {
    this.state = state;
    this.gate = gate;
    this.subscriptions = subscriptions;
    this.reconciliations = reconciliations;
  }

  /**
   * A live task on a connected agent gets a KillTask there (the agent reports TASK_KILLED). Otherwise the
   * framework hears at once what the master knows: the latest state of an ended task, TASK_UNREACHABLE
   * when the agent is not connected (kill again later), TASK_UNKNOWN for a task nobody knows. The call is
   * checked whole first: one kill without a task id refuses it all, naming which.
   */
  void kill(KillCall call) {
    Framework framework = subscriptions.requireSubscribed(call.getFrameworkId());
    boolean single = !call.getTaskId().isEmpty();
    if (!single && call.getKillsCount() == 0) {
      throw Status.INVALID_ARGUMENT.withDescription("the call kills nothing: set task_id, or kills").asRuntimeException();
    }
    for (int i = 0; i < call.getKillsCount(); i++) {
      if (call.getKills(i).getTaskId().isEmpty()) {
        throw Status.INVALID_ARGUMENT.withDescription("kills[" + i + "].task_id is empty: a kill names its task")
            .asRuntimeException();
      }
    }
    if (single) {
      kill(framework, call.getTaskId(), call.getAgentId(),
          call.hasGracePeriodSeconds() ? OptionalDouble.of(call.getGracePeriodSeconds()) : OptionalDouble.empty());
    }
    for (TaskKill k : call.getKillsList()) {
      kill(framework, k.getTaskId(), k.getAgentId(),
          k.hasGracePeriodSeconds() ? OptionalDouble.of(k.getGracePeriodSeconds()) : OptionalDouble.empty());
    }
  }

  private void kill(Framework framework, String taskId, String agentIdGiven, OptionalDouble gracePeriodSeconds) {
    TaskKey key = new TaskKey(framework.id, taskId);
    Task task = state.tasks.get(key);
    String agentId = task != null ? task.agentId : agentIdGiven;
    Agent agent = agentId.isEmpty() ? null : state.agents.get(agentId);
    if (task != null && TaskLifecycle.isTerminal(task.latest.getState())) {
      state.sendUpdate(framework.id, task.latest.toBuilder().clearUuid().build());
      return;
    }
    if (agent == null || (task == null && agent.state.isConnected())) {
      state.sendUpdate(framework.id, state.masterStatus(key, agentId, TaskState.TASK_UNKNOWN,
          StatusReason.REASON_TASK_UNKNOWN, "task unknown to the master"));
      return;
    }
    if (!agent.state.isConnected() || agent.link == null) {
      state.sendUpdate(framework.id, state.masterStatus(key, agentId, TaskState.TASK_UNREACHABLE,
          StatusReason.REASON_AGENT_DISCONNECTED, "agent " + agentId + " is not connected (" + agent.state
              + "); kill again once it is back"));
      return;
    }
    KillTask.Builder kill = KillTask.newBuilder().setTaskId(key.taskId()).setFrameworkId(framework.id);
    gracePeriodSeconds.ifPresent(kill::setGracePeriodSeconds);
    agent.link.send(MasterMessage.newBuilder().setKillTask(kill).build());
  }

  /**
   * Forwards each acknowledgement to its agent (which then stops resending that update); a terminal row leaves
   * the table once its latest update is acknowledged. An agent that is not connected will resend after it
   * returns. The call is checked whole first: one malformed acknowledgement refuses it all, naming which.
   */
  void acknowledge(AcknowledgeCall call) {
    Framework framework = subscriptions.requireSubscribed(call.getFrameworkId());
    boolean single = !call.getTaskId().isEmpty() || !call.getUuid().isEmpty();
    if (!single && call.getAcknowledgementsCount() == 0) {
      throw invalidAcknowledgement("the call acknowledges nothing: set task_id and uuid, or acknowledgements");
    }
    if (single) {
      requireTaskAndUuid(call.getTaskId(), call.getUuid(), "");
    }
    for (int i = 0; i < call.getAcknowledgementsCount(); i++) {
      Acknowledgement a = call.getAcknowledgements(i);
      requireTaskAndUuid(a.getTaskId(), a.getUuid(), "acknowledgements[" + i + "].");
    }
    if (single) {
      acknowledge(framework, call.getAgentId(), call.getTaskId(), call.getUuid());
    }
    for (Acknowledgement a : call.getAcknowledgementsList()) {
      acknowledge(framework, a.getAgentId(), a.getTaskId(), a.getUuid());
    }
  }

  private static void requireTaskAndUuid(String taskId, String uuid, String path) {
    if (taskId.isEmpty() || uuid.isEmpty()) {
      throw invalidAcknowledgement(path + (taskId.isEmpty() ? "task_id" : "uuid")
          + " is empty: an acknowledgement needs task_id and uuid (updates without uuid need none)");
    }
  }

  private static StatusRuntimeException invalidAcknowledgement(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private void acknowledge(Framework framework, String agentIdGiven, String taskId, String uuid) {
    Task task = state.tasks.get(new TaskKey(framework.id, taskId));
    String agentId = !agentIdGiven.isEmpty() ? agentIdGiven : task != null ? task.agentId : "";
    Agent agent = state.agents.get(agentId);
    if (agent != null && agent.state.isConnected() && agent.link != null) {
      agent.link.send(MasterMessage.newBuilder().setAcknowledgement(
          StatusAcknowledgement.newBuilder().setTaskId(taskId).setUuid(uuid)).build());
    }
    if (task != null && TaskLifecycle.isTerminal(task.latest.getState()) && task.latest.getUuid().equals(uuid)) {
      state.removeTask(task);
    }
  }

  /**
   * Explicit: one answer per named task (possibly deferred). Implicit (no tasks): every known task. Answered
   * {@link #RECONCILE_BATCH} tasks per turn of the loop; the rest is dropped if the framework's subscription
   * ends meanwhile (it reconciles again when it subscribes).
   */
  void reconcile(ReconcileCall call) {
    Framework framework = subscriptions.requireSubscribed(call.getFrameworkId());
    if (call.getTasksCount() == 0) {
      inTurns(framework, new ArrayList<>(framework.tasks), 0, taskId -> {
        Task task = state.tasks.get(new TaskKey(framework.id, taskId));
        if (task != null) {
          state.sendUpdate(framework.id, MasterState.reconciliationAnswer(task.latest));
        }
      });
      return;
    }
    inTurns(framework, call.getTasksList(), 0,
        named -> reconciliations.reconcile(new TaskKey(framework.id, named.getTaskId()), named.getAgentId()));
  }

  private <T> void inTurns(Framework framework, List<T> items, int from, Consumer<T> answer) {
    int end = Math.min(items.size(), from + RECONCILE_BATCH);
    for (int i = from; i < end; i++) {
      answer.accept(items.get(i));
    }
    if (end < items.size()) {
      gate.post(() -> {
        if (framework.isConnected() && state.frameworks.get(framework.id) == framework) {
          inTurns(framework, items, end, answer);
        }
      });
    }
  }
}

package dev.corral.master;

import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Answers to explicit reconciliation. A task the master does not know, on an agent whose task list it does
 * not know yet (admitted, not re-registered since the master started), cannot be answered truthfully: the
 * question waits here until the agent re-registers (then: its latest state, or TASK_GONE) or the
 * re-register timeout fires (TASK_UNREACHABLE). Soft state. Loop thread only.
 */
final class Reconciliations {
  private final MasterState state;
  private final Map<String, Set<TaskKey>> waiting = new HashMap<>();

  Reconciliations(MasterState state) {
    this.state = state;
  }

  /** Answers one explicitly named task now, or defers the answer. */
  void reconcile(TaskKey key, String agentId) {
    Task task = state.tasks.get(key);
    if (task != null) {
      state.sendUpdate(key.frameworkId(), MasterState.reconciliationAnswer(task.latest));
      return;
    }
    Agent agent = agentId.isEmpty() ? null : state.agents.get(agentId);
    if (agent == null) {
      answer(key, agentId, TaskState.TASK_UNKNOWN, "task unknown to the master");
      return;
    }
    if (!settle(key, agent)) {
      waiting.computeIfAbsent(agent.id, k -> new LinkedHashSet<>()).add(key);
    }
  }

  /** Answers whatever waits on this agent and can now be answered (after it registered, or timed out). */
  void agentSettled(Agent agent) {
    Set<TaskKey> keys = waiting.get(agent.id);
    if (keys == null) {
      return;
    }
    keys.removeIf(key -> settle(key, agent));
    if (keys.isEmpty()) {
      waiting.remove(agent.id);
    }
  }

  /**
   * Takes the question waiting on this task of this agent, if any: the agent has just reported it, and the
   * report's update (sent as a reconciliation answer) answers it. True when one was waiting.
   */
  boolean answeredByReport(Agent agent, TaskKey key) {
    Set<TaskKey> keys = waiting.get(agent.id);
    if (keys == null || !keys.remove(key)) {
      return false;
    }
    if (keys.isEmpty()) {
      waiting.remove(agent.id);
    }
    return true;
  }

  /** How many answers wait; for tests. */
  int waitingCount() {
    int n = 0;
    for (Set<TaskKey> keys : waiting.values()) {
      n += keys.size();
    }
    return n;
  }

  /** Answers a task unknown to the table from what is known of its agent; false when that is not enough. */
  private boolean settle(TaskKey key, Agent agent) {
    Task task = state.tasks.get(key);
    if (task != null) {
      state.sendUpdate(key.frameworkId(), MasterState.reconciliationAnswer(task.latest));
      return true;
    }
    switch (agent.state) {
      case CONNECTED, DISCONNECTED -> {
        // The master has heard this agent's full task list in this run; the task is not on it.
        answer(key, agent.id, TaskState.TASK_GONE, "task unknown to agent " + agent.id);
        return true;
      }
      case UNREACHABLE -> {
        answer(key, agent.id, TaskState.TASK_UNREACHABLE,
            "agent " + agent.id + " did not re-register within " + state.config.agentReregisterTimeout());
        return true;
      }
      case REMOVED -> {
        answer(key, agent.id, TaskState.TASK_UNKNOWN, "agent " + agent.id + " is unknown to the master");
        return true;
      }
      default -> {
        return false; // RECOVERED or REGISTERING: wait for the agent's task list
      }
    }
  }

  private void answer(TaskKey key, String agentId, TaskState taskState, String message) {
    TaskStatus status = state.masterStatus(key, agentId, taskState, StatusReason.REASON_RECONCILIATION, message);
    state.sendUpdate(key.frameworkId(), status);
  }
}

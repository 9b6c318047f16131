package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import org.junit.jupiter.api.Test;

/**
 * An agent refuses every message of a master whose leader epoch is below the highest it has seen (a master
 * deposed without knowing it yet), launches and kills included, and leaves that master; it follows any
 * master of the current or a later epoch.
 */
class LeaderEpochTest extends RealAgentTestBase {

  @Test
  void aMasterOfAnOlderEpochCanNeitherLaunchNorKill() {
    master.epoch(5);
    startAgent();
    awaitRegisteredSince(0);

    // The same stream now speaks for epoch 4: the agent refuses the launch and leaves.
    int registrations = master.registrations().size();
    master.epoch(4);
    String stale = unique("stale");
    master.runTask(shellTask(stale, "exec sleep 60"));
    // It comes back, and refuses the epoch-4 answer to its registration as well.
    await().atMost(LONG).until(() -> master.registrations().size() >= registrations + 2);
    assertThat(master.statuses(stale)).as("nothing launched for a deposed master").isEmpty();
    assertThat(sandbox(stale)).doesNotExist();

    // A later leader is followed.
    master.epoch(6);
    long heartbeats = awaitRegisteredSince(master.registrations().size());
    String fresh = unique("fresh");
    master.runTask(shellTask(fresh, "exec sleep 60"));
    master.awaitStatus(fresh, TaskState.TASK_RUNNING, LONG);
    assertThat(master.heartbeats()).isGreaterThanOrEqualTo(heartbeats);

    // Epoch 5 is stale now too: its kill is refused and the task runs on.
    int before = master.registrations().size();
    master.epoch(5);
    master.kill(fresh, 0.0);
    await().atMost(LONG).until(() -> master.registrations().size() >= before + 1);
    master.epoch(6);
    awaitRegisteredSince(master.registrations().size());
    assertThat(master.statuses(fresh)).extracting(TaskStatus::getState).doesNotContain(TaskState.TASK_KILLED,
        TaskState.TASK_KILLING);
    var again = master.registrations().get(master.registrations().size() - 1);
    assertThat(again.getTasksList()).as("the agent comes back with the task still running")
        .anyMatch(t -> t.getTask().getTaskId().equals(fresh)
            && t.getLatestStatus().getState() == TaskState.TASK_RUNNING);

    // The current leader's kill goes through.
    master.kill(fresh, 0.0);
    master.awaitStatus(fresh, TaskState.TASK_KILLED, LONG);
  }

  @Test
  void aMasterThatSendsNoEpochIsFollowed() {
    // a single master without an election, or one of an older version during a rolling upgrade, sends 0
    master.epoch(5);
    startAgent();
    awaitRegisteredSince(0);
    master.epoch(0);
    String plain = unique("plain");
    master.runTask(shellTask(plain, "exec sleep 60"));
    master.awaitStatus(plain, TaskState.TASK_RUNNING, LONG);
    master.kill(plain, 0.0);
    master.awaitStatus(plain, TaskState.TASK_KILLED, LONG);
    // and does not lower what the agent has seen: epoch 4 is still refused
    int registrations = master.registrations().size();
    master.epoch(4);
    String stale = unique("stale");
    master.runTask(shellTask(stale, "exec sleep 60"));
    await().atMost(LONG).until(() -> master.registrations().size() > registrations);
    assertThat(master.statuses(stale)).isEmpty();
  }

  /**
   * Waits until the agent is registered on a stream opened after {@code registrations} registrations:
   * heartbeats flow only while it is. Returns the heartbeat count then.
   */
  private long awaitRegisteredSince(int registrations) {
    await().atMost(LONG).until(() -> master.registrations().size() > registrations);
    long now = master.heartbeats();
    await().atMost(LONG).until(() -> master.heartbeats() > now);
    return master.heartbeats();
  }
}

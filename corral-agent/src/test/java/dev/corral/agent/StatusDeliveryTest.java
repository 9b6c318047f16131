package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusDeliveryTest extends RealAgentTestBase {

  @Test
  void registersWithResourcesAttributesAndVersion() {
    Agent agent = startAgent();
    await().atMost(LONG).until(() -> "agent-1".equals(agent.agentId()));
    RegisterAgent first = master.registrations().get(0);
    assertThat(first.getInfo().getAgentId()).isEmpty();
    assertThat(first.getInfo().getHostname()).isEqualTo("test-host");
    assertThat(first.getInfo().getVersion()).isNotEmpty();
    assertThat(first.getInfo().getAttributesList()).extracting(a -> a.getName() + ":" + a.getText())
        .containsExactly("rack:r1");
    assertThat(first.getInfo().getResourcesList()).extracting(r -> r.getName())
        .containsExactlyInAnyOrder("cpus", "mem", "disk", "ports");
    assertThat(workDir.resolve("meta/agent.id")).hasContent("agent-1\n");
    await().atMost(LONG).until(() -> master.heartbeats() >= 2);
  }

  @Test
  void unacknowledgedUpdatesAreResentOnReregistrationUntilAcknowledged() {
    startAgent();
    String id = unique("resend");
    master.runTask(shellTask(id, "exec sleep 60"));
    TaskStatus running = master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);

    master.dropStream();
    await().atMost(LONG).until(() -> master.statuses(id).size() == 2);
    assertThat(master.statuses(id)).extracting(TaskStatus::getUuid).containsOnly(running.getUuid());
    RegisterAgent again = master.registrations().get(master.registrations().size() - 1);
    assertThat(again.getInfo().getAgentId()).isEqualTo("agent-1");
    assertThat(again.getTasksList()).extracting(t -> t.getTask().getTaskId()).containsExactly(id);

    master.ack(running);
    int registrations = master.registrations().size();
    await().atMost(LONG).until(() -> !Files.exists(updates(id).resolve("000001.pb")));
    master.dropStream();
    await().atMost(LONG).until(() -> master.registrations().size() > registrations && master.connected());
    await().during(Duration.ofMillis(300)).atMost(LONG).until(() -> master.statuses(id).size() == 2);
  }

  @Test
  void retryTimerResendsUntilAcknowledged() {
    startAgent(AgentTestSupport.config(workDir).withStatusRetryInterval(Duration.ofMillis(200)));
    master.awaitConnected(LONG);
    String id = unique("retry");
    master.runTask(shellTask(id, "exit 0"));
    TaskStatus running = master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    TaskStatus finished = master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    await().atMost(LONG).until(() -> master.statuses(id).size() >= 5);
    List<TaskStatus> seen = master.statuses(id);
    // each retry resends only the oldest unacknowledged update: RUNNING again and again, never FINISHED
    // before it (in order), and not both at every round
    int first = seen.indexOf(finished);
    for (int j = first + 1; j < seen.size(); j++) {
      assertThat(seen.get(j).getState()).as("update %d of %s", j, seen).isEqualTo(TaskState.TASK_RUNNING);
    }
    master.ack(running);
    // then FINISHED is the oldest, and the timer resends it
    int acked = master.statuses(id).size();
    await().atMost(LONG).until(() -> master.statuses(id).subList(acked, master.statuses(id).size()).stream()
        .filter(s -> s.getState() == TaskState.TASK_FINISHED).count() >= 2);
    // (a RUNNING resend already on its way when the ack arrived may come first, none after a FINISHED)
    List<TaskStatus> later = master.statuses(id).subList(acked, master.statuses(id).size());
    List<TaskState> states = later.stream().map(TaskStatus::getState).toList();
    int firstFinished = states.indexOf(TaskState.TASK_FINISHED);
    assertThat(states.subList(firstFinished, states.size())).containsOnly(TaskState.TASK_FINISHED);
    master.ack(finished);
    // the terminal ack forgets the task: checkpoint gone, sandbox kept, no more resends
    await().atMost(LONG).until(() -> !Files.exists(workDir.resolve("meta/tasks").resolve(id)));
    assertThat(sandbox(id)).exists();
    int after = master.statuses(id).size();
    await().during(Duration.ofMillis(600)).atMost(LONG).until(() -> master.statuses(id).size() == after);
  }

  @Test
  void anUnansweredUpdateWaitsTwiceAsLongBeforeEachResend() {
    // A scheduler too busy to acknowledge is not sent every pending update again at every interval.
    startAgent(AgentTestSupport.config(workDir).withStatusRetryInterval(Duration.ofMillis(200)));
    master.awaitConnected(LONG);
    String id = unique("backoff");
    master.runTask(shellTask(id, "exec sleep 60"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    int sent = master.statuses(id).size();
    List<Long> seenAt = new java.util.ArrayList<>(List.of(System.nanoTime()));
    await().atMost(LONG).pollInterval(Duration.ofMillis(5)).until(() -> {
      if (master.statuses(id).size() > sent + seenAt.size() - 1) {
        seenAt.add(System.nanoTime());
      }
      return seenAt.size() == 4;
    });
    assertThat(master.statuses(id).subList(sent, sent + 3)).extracting(TaskStatus::getState)
        .containsOnly(TaskState.TASK_RUNNING);
    Duration third = Duration.ofNanos(seenAt.get(3) - seenAt.get(2));
    assertThat(third).as("the third resend waits 4 intervals after the second (without backoff: 1)")
        .isGreaterThan(Duration.ofMillis(700));
  }

  @Test
  void retryTimerSparesUpdatesSentWithinTheInterval() {
    // The timer runs on its own beat: an update sent just before it fires must not go out twice at once.
    startAgent(AgentTestSupport.config(workDir).withStatusRetryInterval(Duration.ofSeconds(2)));
    master.awaitConnected(LONG);
    String id = unique("fresh");
    master.runTask(shellTask(id, "exec sleep 60"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    long firstSeen = System.nanoTime();
    int sent = master.statuses(id).size();

    await().atMost(LONG).until(() -> master.statuses(id).size() > sent);
    Duration untilResent = Duration.ofNanos(System.nanoTime() - firstSeen);
    assertThat(untilResent).as("first resend after the update was seen").isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void rejectedAgentRetriesLater() {
    master.rejectNext(2);
    Agent agent = startAgent(AgentTestSupport.config(workDir));
    await().atMost(LONG).until(() -> "agent-1".equals(agent.agentId()));
    assertThat(master.registrations()).hasSize(3);
  }

  private Path updates(String id) {
    return workDir.resolve("meta/tasks").resolve(id).resolve("updates");
  }
}

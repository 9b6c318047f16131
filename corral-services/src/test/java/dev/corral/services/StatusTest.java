package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.TaskFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class StatusTest {

  private static Harness oneLaunched(String json) {
    Harness h = Harness.running();
    h.create(json);
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launches()).hasSize(1);
    return h;
  }

  @Test
  void aStatusIsPersistedBeforeItIsAcknowledged() {
    Harness h = oneLaunched("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    Instance launched = h.instances("/a").get(0);
    List<InstanceState> storedAtAck = new ArrayList<>();
    h.driver.onAcknowledge(s -> storedAtAck.add(InstanceCodec.fromBytes(
        h.store.get(ServicePaths.instance(launched.id())).orElseThrow()).state()));

    h.status(taskId, TaskState.TASK_RUNNING);

    assertThat(h.driver.acks()).extracting(TaskStatus::getTaskId).containsExactly(taskId);
    assertThat(storedAtAck).containsExactly(InstanceState.RUNNING);
    assertThat(h.instances("/a").get(0).task().startedAt()).isEqualTo(h.clock.instant());
  }

  @Test
  void answersToReconciliationCarryNoUuidAndAreNotAcknowledged() {
    Harness h = oneLaunched("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING).build());
    assertThat(h.driver.acks()).isEmpty();
    assertThat(h.instances("/a").get(0).state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aFailedTaskIsRelaunchedAfterABackoffThatGrowsByTheFactor() {
    Harness h = oneLaunched("""
        {"id": "/crash", "cmd": "exit 3", "cpus": 0.1, "mem": 16, "backoffSeconds": 10, "backoffFactor": 2}""");
    String first = h.driver.launchedTasks().get(0).getTaskId();
    String instanceId = h.instances("/crash").get(0).id();
    h.send(TaskStatus.newBuilder().setTaskId(first).setState(TaskState.TASK_FAILED).setUuid("u1")
        .setReason(StatusReason.REASON_COMMAND_EXITED).setExitStatus(3).setAgentId("agent-host-a").build());

    TaskFailure failure = h.view().failures().get("/crash");
    assertThat(failure.message()).isEqualTo("Command exited with status 3");
    assertThat(failure.taskId()).isEqualTo(first);
    assertThat(failure.state()).isEqualTo("TASK_FAILED");
    assertThat(h.instances("/crash")).singleElement().satisfies(i -> assertThat(i.isWaiting()).isTrue());

    assertLaunchesAfter(h, Duration.ofSeconds(10));
    String second = h.driver.launchedTasks().get(1).getTaskId();
    assertThat(second).isNotEqualTo(first);
    assertThat(h.instances("/crash")).singleElement().satisfies(i -> {
      assertThat(i.id()).as("the same instance, a new task").isEqualTo(instanceId);
      assertThat(i.taskId()).isEqualTo(second);
    });

    h.status(second, TaskState.TASK_RUNNING);
    h.clock.advance(Duration.ofSeconds(2));
    h.status(second, TaskState.TASK_FAILED);
    assertLaunchesAfter(h, Duration.ofSeconds(20));
  }

  /** Not launched by an offer just before the delay is over; launched by one just after. */
  private static void assertLaunchesAfter(Harness h, Duration delay) {
    int before = h.driver.launches().size();
    h.offers(Offers.big("early-0", "host-a"));
    h.loop.advance(delay.minusMillis(100));
    h.offers(Offers.big("early-1", "host-a"));
    assertThat(h.driver.launches()).hasSize(before);
    assertThat(h.view().waitingReason(h.view().apps().keySet().iterator().next())).contains("backoff");
    int revives = h.driver.revives();
    h.loop.advance(Duration.ofMillis(200));
    assertThat(h.driver.revives()).as("offers are revived when the delay ends").isEqualTo(revives + 1);
    h.offers(Offers.big("late", "host-a"));
    assertThat(h.driver.launches()).hasSize(before + 1);
  }

  @Test
  void aTaskThatRanLongEnoughResetsTheBackoff() {
    Harness h = oneLaunched("""
        {"id": "/svc", "cmd": "x", "cpus": 0.1, "mem": 16, "backoffSeconds": 10, "backoffFactor": 2}""");
    String first = h.driver.launchedTasks().get(0).getTaskId();
    h.status(first, TaskState.TASK_FAILED);
    h.loop.advance(Duration.ofSeconds(11));
    h.offers(Offers.big("o2", "host-a"));
    String second = h.driver.launchedTasks().get(1).getTaskId();
    h.status(second, TaskState.TASK_RUNNING);
    h.loop.advance(Duration.ofMinutes(5));
    h.status(second, TaskState.TASK_FINISHED);
    assertThat(h.view().backoff("/svc").failures()).isEqualTo(1);
    assertThat(h.view().backoff("/svc").delay()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theAgentsMessageExplainsAnOomKill() {
    Harness h = oneLaunched("{\"id\": \"/oom\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 64}");
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    h.status(taskId, TaskState.TASK_FAILED, "", StatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(h.view().failures().get("/oom").message())
        .isEqualTo("Memory limit exceeded: killed by the OOM killer (limit 64 MB)");
  }

  @Test
  void anUpdateForATaskNoInstanceOwnsKillsIt() {
    Harness h = Harness.running();
    h.send(TaskStatus.newBuilder().setTaskId("ghost.1").setAgentId("agent-z").setState(TaskState.TASK_RUNNING)
        .setUuid("u").build());
    assertThat(h.driver.kills()).containsExactly(new FakeDriver.Kill("ghost.1", "agent-z", OptionalDouble.empty()));
    assertThat(h.driver.acks()).hasSize(1);
  }

  @Test
  void unreachableKeepsTheInstanceAndItsTask() {
    Harness h = oneLaunched("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    h.status(taskId, TaskState.TASK_RUNNING);
    h.status(taskId, TaskState.TASK_UNREACHABLE);
    assertThat(h.instances("/a")).singleElement().satisfies(i -> {
      assertThat(i.state()).isEqualTo(InstanceState.UNREACHABLE);
      assertThat(i.taskId()).isEqualTo(taskId);
    });
    h.offers(Offers.big("o2", "host-b"));
    assertThat(h.driver.launches()).as("no duplicate").hasSize(1);
    h.status(taskId, TaskState.TASK_RUNNING);
    assertThat(h.instances("/a").get(0).state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aTaskThatNeverLeavesStagingIsKilledAndRelaunchedAfterTheLaunchTimeout() {
    Harness h = oneLaunched("{\"id\": \"/slow\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16}");
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    h.loop.advance(Duration.ofMinutes(4));
    assertThat(h.driver.kills()).isEmpty();
    h.loop.advance(Duration.ofMinutes(2));
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(taskId);
    assertThat(h.instances("/slow")).singleElement().satisfies(i -> assertThat(i.isWaiting()).isTrue());
    assertThat(h.view().failures().get("/slow").message()).contains("did not start within 300 s");
    h.loop.advance(Duration.ofSeconds(2));
    h.offers(Offers.big("o2", "host-b"));
    assertThat(h.driver.launches()).hasSize(2);
  }

  @Test
  void everyTerminalStateRelaunchesAWantedInstance() {
    for (TaskState end : List.of(TaskState.TASK_FINISHED, TaskState.TASK_KILLED, TaskState.TASK_ERROR,
        TaskState.TASK_LOST, TaskState.TASK_DROPPED, TaskState.TASK_GONE, TaskState.TASK_UNKNOWN)) {
      Harness h = oneLaunched("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"backoffSeconds\": 0}");
      TaskInfo task = h.driver.launchedTasks().get(0);
      h.status(task.getTaskId(), end);
      assertThat(h.instances("/a")).as(end.name()).singleElement().satisfies(i -> assertThat(i.isWaiting()).isTrue());
      h.offers(Offers.big("o2", "host-a"));
      assertThat(h.driver.launches()).as(end.name()).hasSize(2);
    }
  }
}

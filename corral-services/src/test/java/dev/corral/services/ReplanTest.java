package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Re-planning walks all of an app's instances, so it must not happen once per status update of a big app: a
 * failover replays every task's state, and a lost rack reports thousands of tasks at once.
 */
class ReplanTest {
  private static final int INSTANCES = 50;

  private static Harness running() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": " + INSTANCES
        + ", \"unreachableStrategy\": {\"inactiveAfterSeconds\": 60, \"expungeAfterSeconds\": 600}}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    assertThat(h.instances("/a")).hasSize(INSTANCES)
        .allMatch(i -> i.task() != null && i.task().lastState() == TaskState.TASK_RUNNING);
    return h;
  }

  private static long replans(Harness h) {
    return h.await(h.loop.callAsync(() -> CompletableFuture.completedFuture(
        h.scheduler.engine().replans())));
  }

  private static List<String> taskIds(Harness h) {
    return h.instances("/a").stream().map(Instance::taskId).toList();
  }

  @Test
  void statusesThatChangeNothingDoNotReplan() {
    Harness h = running();
    long before = replans(h);

    // what a new leader replays after a failover: every task's state as its agent re-registers
    for (String taskId : taskIds(h)) {
      h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING).build());
    }

    assertThat(replans(h) - before).isZero();
    assertThat(h.instances("/a")).hasSize(INSTANCES).allMatch(i -> i.goal() == Goal.RUNNING);
  }

  @Test
  void aBurstOfUpdatesOfOneAppReplansItOnce() {
    Harness h = running();
    List<String> lost = taskIds(h);
    long before = replans(h);

    // the whole host becomes unreachable: its updates are queued on the loop before any is handled
    for (String taskId : lost) {
      h.driver.scheduler().update(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_UNREACHABLE)
          .setUuid("u-" + taskId).setAgentId("agent-host-a").build());
    }
    h.loop.runPending();

    assertThat(replans(h) - before).isEqualTo(1);
    assertThat(h.driver.acks()).extracting(TaskStatus::getTaskId).containsAll(lost);
    assertThat(h.driver.kills()).as("not inactive yet").isEmpty();

    // each instance's inactive timer fires at the same moment: again one re-plan for all of them
    h.clock.advance(Duration.ofSeconds(61));
    h.loop.runPending();

    assertThat(replans(h) - before).isEqualTo(2);
    // the plan is the one re-planning after each would make: every instance replaced once, the lost ones killed
    List<Instance> wanted = h.instances("/a").stream().filter(i -> i.goal() == Goal.RUNNING).toList();
    assertThat(wanted).hasSize(INSTANCES).allMatch(Instance::isWaiting);
    assertThat(h.driver.kills()).hasSize(INSTANCES);
  }
}

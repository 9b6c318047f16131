package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** unreachableStrategy: replace after inactiveAfterSeconds, no duplicate after the partition heals, expunge. */
class UnreachableTest {

  private static Harness twoRunning(String strategy) {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2"
        + (strategy == null ? "" : ", \"unreachableStrategy\": " + strategy) + "}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    return h;
  }

  private static long wanted(Harness h) {
    return h.instances("/a").stream().filter(i -> i.goal() == Goal.RUNNING).count();
  }

  @Test
  void anUnreachableInstanceIsReplacedAfterInactiveAfterAndKilledWhenItComesBack() {
    Harness h = twoRunning("{\"inactiveAfterSeconds\": 60, \"expungeAfterSeconds\": 120}");
    String lost = h.driver.launchedTasks().get(0).getTaskId();
    h.status(lost, TaskState.TASK_UNREACHABLE);
    h.clock.advance(Duration.ofSeconds(59));
    h.loop.runPending();
    assertThat(h.view().waiting("/a")).as("not yet inactive").isEmpty();
    assertThat(h.driver.kills()).isEmpty();

    h.clock.advance(Duration.ofSeconds(2));
    h.loop.runPending();
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(lost);
    assertThat(h.view().waiting("/a")).as("a replacement").hasSize(1);
    h.offers(Offers.big("o2", "host-b"));
    h.runAll();
    assertThat(wanted(h)).isEqualTo(2);

    // The partition heals: the old task is reported running again and is killed at once.
    h.status(lost, TaskState.TASK_RUNNING);
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(lost, lost);
    h.status(lost, TaskState.TASK_KILLED);
    List<Instance> left = h.instances("/a");
    assertThat(left).hasSize(2).allMatch(i -> i.state() == InstanceState.RUNNING && i.goal() == Goal.RUNNING);
    assertThat(left).noneMatch(i -> lost.equals(i.taskId()));
  }

  @Test
  void aReplacedUnreachableInstanceIsForgottenAfterExpungeAfter() {
    Harness h = twoRunning("{\"inactiveAfterSeconds\": 10, \"expungeAfterSeconds\": 30}");
    String lost = h.driver.launchedTasks().get(1).getTaskId();
    h.status(lost, TaskState.TASK_UNREACHABLE);
    h.clock.advance(Duration.ofSeconds(31));
    h.loop.runPending();
    assertThat(h.instances("/a")).noneMatch(i -> lost.equals(i.taskId()));
    assertThat(h.view().waiting("/a")).hasSize(1);
  }

  @Test
  void disabledNeverReplaces() {
    Harness h = twoRunning("\"disabled\"");
    String lost = h.driver.launchedTasks().get(0).getTaskId();
    h.status(lost, TaskState.TASK_UNREACHABLE);
    h.clock.advance(Duration.ofDays(1));
    h.loop.runPending();
    assertThat(h.view().waiting("/a")).isEmpty();
    assertThat(h.driver.kills()).isEmpty();
    h.status(lost, TaskState.TASK_RUNNING);
    assertThat(h.instances("/a")).hasSize(2).allMatch(i -> i.state() == InstanceState.RUNNING);
  }

  @Test
  void anInvalidStrategyIsRefusedWithItsPath() {
    Harness h = Harness.running();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.create(
        "{\"id\": \"/b\", \"cmd\": \"x\", \"unreachableStrategy\": {\"inactiveAfterSeconds\": 60, \"expungeAfterSeconds\": 5}}"))
        .hasMessageContaining("Object is not valid")
        .satisfies(e -> assertThat(((dev.corral.services.engine.CommandException) e).violations().get(0).path())
            .isEqualTo("/unreachableStrategy/expungeAfterSeconds"));
  }
}

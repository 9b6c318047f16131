package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.TaskState;
import dev.corral.services.instance.ContainerTask;
import dev.corral.services.instance.TaskHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instance state as the sum of its containers', over every pair of container states. */
class PodStatusesTest {
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  private static ContainerTask in(TaskState s) {
    return new ContainerTask("c", "t", List.of(), s, "", null, T, TaskHealth.NONE, List.of());
  }

  @Test
  void everyPairSumsUpAsMarathonsPodInstanceCondition() {
    List<TaskState> states = new ArrayList<>(List.of(TaskState.values()));
    states.remove(TaskState.UNRECOGNIZED);
    states.remove(TaskState.TASK_STATE_UNSPECIFIED);
    for (TaskState a : states) {
      for (TaskState b : states) {
        TaskState sum = PodStatuses.sum(List.of(in(a), in(b)));
        String pair = a + " + " + b;
        if (TaskLifecycle.isTerminal(a)) {
          assertThat(sum).as(pair).isEqualTo(a);
        } else if (TaskLifecycle.isTerminal(b)) {
          assertThat(sum).as(pair).isEqualTo(b);
        } else if (a == TaskState.TASK_UNREACHABLE || a == TaskState.TASK_UNKNOWN) {
          assertThat(sum).as(pair).isEqualTo(a);
        } else if (b == TaskState.TASK_UNREACHABLE || b == TaskState.TASK_UNKNOWN) {
          assertThat(sum).as(pair).isEqualTo(b);
        } else if (a == TaskState.TASK_KILLING || b == TaskState.TASK_KILLING) {
          assertThat(sum).as(pair).isEqualTo(TaskState.TASK_KILLING);
        } else {
          assertThat(sum).as(pair).isEqualTo(a.getNumber() <= b.getNumber() ? a : b);
        }
      }
    }
    assertThat(PodStatuses.sum(List.of(in(TaskState.TASK_RUNNING), in(TaskState.TASK_STARTING))))
        .isEqualTo(TaskState.TASK_STARTING);
    assertThat(PodStatuses.sum(List.of(in(TaskState.TASK_RUNNING), in(TaskState.TASK_FAILED))))
        .isEqualTo(TaskState.TASK_FAILED);
  }
}

package dev.corral.services.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.HealthCheckResult;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskHealthTest {

  @Test
  void aStatusWithoutCheckInformationKeepsWhatWasKnown() {
    TaskHealth known = new TaskHealth(true, true, List.of(new HealthResult(0, true, 0, null, null, null, "")));
    TaskStatus plain = TaskStatus.newBuilder().setTaskId("t").setState(TaskState.TASK_RUNNING).build();
    assertThat(TaskHealth.from(plain, known)).isSameAs(known);
  }

  @Test
  void aHealthReportReplacesTheResultsAndKeepsReadinessItDoesNotMention() {
    TaskHealth ready = new TaskHealth(null, true, List.of());
    TaskStatus report = TaskStatus.newBuilder().setTaskId("t").setState(TaskState.TASK_RUNNING)
        .setHasHealth(true).setHealthy(false)
        .addHealthResults(HealthCheckResult.newBuilder().setIndex(0).setAlive(false).setConsecutiveFailures(2)
            .setLastFailureMillis(1000).setLastFailureCause("refused"))
        .build();
    TaskHealth after = TaskHealth.from(report, ready);
    assertThat(after.healthy()).isFalse();
    assertThat(after.ready()).isTrue();
    assertThat(after.result(0)).isEqualTo(new HealthResult(0, false, 2, null, null, Instant.ofEpochMilli(1000),
        "refused"));
    assertThat(after.result(1)).isNull();
  }

  @Test
  void resultsWithoutAnOverallVerdictLeaveTheTaskUnknown() {
    TaskStatus partial = TaskStatus.newBuilder().setTaskId("t").setState(TaskState.TASK_RUNNING)
        .addHealthResults(HealthCheckResult.newBuilder().setIndex(0).setAlive(true)).setReady(false).build();
    TaskHealth h = TaskHealth.from(partial, TaskHealth.NONE);
    assertThat(h.healthy()).isNull();
    assertThat(h.ready()).isFalse();
    assertThat(h.results()).hasSize(1);
  }
}

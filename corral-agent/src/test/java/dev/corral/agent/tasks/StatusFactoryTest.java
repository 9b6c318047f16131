package dev.corral.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.agent.containerizer.ExitFacts;
import dev.corral.agent.health.HealthReport;
import dev.corral.api.v1.HealthCheckResult;
import dev.corral.api.v1.ReadinessCheck;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.FakeClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusFactoryTest {
  private final FakeClock clock = new FakeClock();
  private final StatusFactory f = new StatusFactory(clock);
  private final TaskInfo task = TaskInfo.newBuilder().setTaskId("t")
      .addResources(Resource.newBuilder().setName("mem").setScalar(64)).build();

  private TaskStatus end(Integer status, boolean oom, boolean killed, boolean whileDown) {
    return f.terminal(task, "fw", "ag", new ExitFacts(status, oom), killed, whileDown, "u1");
  }

  @Test
  void running() {
    TaskStatus s = f.running(task, "fw", "ag", "u0");
    assertThat(s.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(s.getReason()).isEqualTo(StatusReason.REASON_UNSPECIFIED);
    assertThat(s.getSource()).isEqualTo(StatusSource.SOURCE_AGENT);
    assertThat(s.getTimestampMillis()).isEqualTo(clock.millis());
    assertThat(s.getUuid()).isEqualTo("u0");
  }

  @Test
  void fetchUpdates() {
    TaskStatus fetching = f.fetching(task, "fw", "ag", "maven://g:a:1", "u2");
    assertThat(fetching.getState()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(fetching.getMessage()).isEqualTo("fetching maven://g:a:1");
    assertThat(fetching.getUuid()).isEqualTo("u2");
    TaskStatus killed = f.killedWhileFetching(task, "fw", "ag", "u3");
    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getReason()).isEqualTo(StatusReason.REASON_TASK_KILLED);
    TaskStatus restarted = f.restartedWhileFetching(task, "fw", "ag", "u4");
    assertThat(restarted.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(restarted.getReason()).isEqualTo(StatusReason.REASON_AGENT_RESTARTED);
    assertThat(restarted.getMessage()).isEqualTo("agent restarted while fetching");
  }

  @Test
  void aTaskWithReadinessChecksStartsNotReady() {
    assertThat(f.running(task, "fw", "ag", "u0").hasReady()).isFalse();
    TaskInfo withReadiness = task.toBuilder().addReadinessChecks(ReadinessCheck.newBuilder().setPort(1)).build();
    TaskStatus s = f.running(withReadiness, "fw", "ag", "u0");
    assertThat(s.hasReady()).isTrue();
    assertThat(s.getReady()).isFalse();
  }

  @Test
  void healthReportsAreRunningUpdatesWithTheirReason() {
    HealthCheckResult result = HealthCheckResult.newBuilder().setIndex(0).setConsecutiveFailures(2).build();
    TaskStatus unhealthy = f.health(task, "fw", "ag",
        new HealthReport(List.of(result), false, null, HealthReport.Trigger.HEALTH, "failing"), "u2");
    assertThat(unhealthy.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(unhealthy.getReason()).isEqualTo(StatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
    assertThat(unhealthy.getHasHealth()).isTrue();
    assertThat(unhealthy.getHealthy()).isFalse();
    assertThat(unhealthy.getHealthResultsList()).containsExactly(result);
    assertThat(unhealthy.hasReady()).isFalse();
    assertThat(unhealthy.getMessage()).isEqualTo("failing");
    assertThat(unhealthy.getUuid()).isEqualTo("u2");

    TaskStatus ready = f.health(task, "fw", "ag",
        new HealthReport(List.of(), null, true, HealthReport.Trigger.READINESS, "ready"), "u3");
    assertThat(ready.getReason()).isEqualTo(StatusReason.REASON_TASK_CHECK_STATUS_UPDATED);
    assertThat(ready.getHasHealth()).as("health unknown").isFalse();
    assertThat(ready.getReady()).isTrue();
  }

  @Test
  void exitZeroFinishes() {
    TaskStatus s = end(0, false, false, false);
    assertThat(s.getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(s.getExitStatus()).isZero();
    assertThat(s.hasSignal()).isFalse();
  }

  @Test
  void nonZeroFails() {
    TaskStatus s = end(3, false, false, false);
    assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(s.getReason()).isEqualTo(StatusReason.REASON_COMMAND_EXITED);
    assertThat(s.getMessage()).isEqualTo("Command exited with status 3");
    assertThat(s.getExitStatus()).isEqualTo(3);
  }

  @Test
  void signalsAreNamed() {
    TaskStatus s = end(137, false, false, false);
    assertThat(s.getMessage()).isEqualTo("Command terminated by signal 9 (SIGKILL)");
    assertThat(s.getSignal()).isEqualTo(9);
    assertThat(s.hasExitStatus()).isFalse();
    assertThat(end(143, false, false, false).getMessage()).endsWith("signal 15 (SIGTERM)");
  }

  @Test
  void oomBeatsTheExitStatus() {
    TaskStatus s = end(137, true, false, false);
    assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(s.getReason()).isEqualTo(StatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(s.getMessage()).isEqualTo("Memory limit exceeded: killed by the OOM killer (limit 64 MB)");
  }

  @Test
  void requestedKillBeatsEverything() {
    for (Integer status : new Integer[] {0, 143, 137, null}) {
      TaskStatus s = end(status, true, true, false);
      assertThat(s.getState()).isEqualTo(TaskState.TASK_KILLED);
      assertThat(s.getReason()).isEqualTo(StatusReason.REASON_TASK_KILLED);
    }
  }

  @Test
  void unknownStatus() {
    TaskStatus s = end(null, false, false, true);
    assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(s.getReason()).isEqualTo(StatusReason.REASON_AGENT_RESTARTED);
    assertThat(s.getMessage()).isEqualTo("task ended while the agent was down; exit status unknown");
    assertThat(s.hasExitStatus()).isFalse();
  }

  @Test
  void launchFailureAndAnswersWithoutAck() {
    assertThat(f.launchFailed(task, "fw", "ag", "boom", "u").getReason())
        .isEqualTo(StatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(f.unknown("x", "fw", "ag").getUuid()).isEmpty();
    assertThat(f.invalid(task, "fw", "ag", "bad").getState()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(f.dropped(task, "fw", "ag").getState()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(f.dropped(task, "fw", "ag").getUuid()).isEmpty();
    assertThat(TaskIds.problem("app.instance-1._app.1")).isNull();
    assertThat(TaskIds.problem("..")).isNotNull();
    assertThat(TaskIds.problem("a/b")).contains("'a/b'");
    assertThat(TaskIds.problem("")).isNotNull();
  }
}

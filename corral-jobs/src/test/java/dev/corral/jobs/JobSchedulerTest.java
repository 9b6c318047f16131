package dev.corral.jobs;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import dev.corral.api.v1.TaskState;
import dev.corral.common.FakeClock;
import dev.corral.jobs.engine.CommandException;
import dev.corral.jobs.engine.JobPaths;
import dev.corral.jobs.run.JobHistory;
import dev.corral.jobs.run.JobRun;
import dev.corral.jobs.run.RunState;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {
  private static final String JOB = """
      {"id": "nightly.report", "run": {"cmd": "echo hi", "cpus": 0.1, "mem": 32,
       "artifacts": [{"uri": "http://example.com/a.tgz"}]}}""";

  @Test
  void aCronJobRunsOnScheduleAndRecordsHistory() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T09:58:30Z"));
    h.createJob(JOB);
    h.addSchedule("nightly.report", """
        {"id": "hourly", "cron": "0 * * * *", "timezone": "UTC"}""");
    assertThat(h.view().schedulesOf("nightly.report").get(0).nextRunAt()).isEqualTo("2026-05-01T10:00:00Z");

    h.advance(Duration.ofMinutes(2));
    List<JobRun> runs = h.view().runsOf("nightly.report");
    assertThat(runs).singleElement().extracting(JobRun::status).isEqualTo(RunState.INITIAL);
    assertThat(h.driver.revives()).isPositive();

    List<TaskInfo> launched = h.offer();
    assertThat(launched).hasSize(1);
    TaskInfo task = launched.get(0);
    assertThat(task.getCommand().getValue()).isEqualTo("echo hi");
    assertThat(task.getFetch(0).getUri()).isEqualTo("http://example.com/a.tgz");
    h.status(task.getTaskId(), TaskState.TASK_RUNNING);
    assertThat(h.view().runsOf("nightly.report").get(0).status()).isEqualTo(RunState.ACTIVE);
    h.status(task.getTaskId(), TaskState.TASK_FINISHED);

    JobHistory history = h.view().historyOf("nightly.report");
    assertThat(h.view().runsOf("nightly.report")).isEmpty();
    assertThat(history.successCount()).isEqualTo(1);
    assertThat(history.successfulFinishedRuns()).singleElement()
        .satisfies(f -> assertThat(f.tasks()).containsExactly(task.getTaskId()));
    assertThat(h.store.get(JobPaths.history("nightly.report"))).isPresent();
    assertThat(h.driver.acks()).hasSize(2);
  }

  @Test
  void springForwardRunsTheMissingTimeOnceAfterTheGap() {
    JobHarness h = JobHarness.running(Instant.parse("2026-03-29T00:00:00Z"));
    h.createJob(JOB);
    h.addSchedule("nightly.report", """
        {"id": "night", "cron": "30 2 * * *", "timezone": "Europe/Berlin"}""");
    assertThat(h.view().schedulesOf("nightly.report").get(0).nextRunAt()).isEqualTo("2026-03-29T01:00:00Z");
    h.advance(Duration.ofMinutes(59));
    assertThat(h.view().runsOf("nightly.report")).isEmpty();
    h.advance(Duration.ofMinutes(2));
    assertThat(h.view().runsOf("nightly.report")).hasSize(1);
    h.advance(Duration.ofHours(3));
    // Never offered resources, it failed after maxLaunchDelay: one run in all, in the history.
    assertThat(h.view().runsOf("nightly.report")).isEmpty();
    assertThat(h.view().historyOf("nightly.report").failureCount()).isEqualTo(1);
  }

  @Test
  void fallBackRunsTheRepeatedTimeOnce() {
    JobHarness h = JobHarness.running(Instant.parse("2026-10-25T00:00:00Z"));
    h.createJob(JOB);
    h.addSchedule("nightly.report", """
        {"id": "night", "cron": "30 2 * * *", "timezone": "Europe/Berlin"}""");
    h.advance(Duration.ofMinutes(31));
    assertThat(h.view().runsOf("nightly.report")).singleElement()
        .extracting(JobRun::createdAt).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    h.status(h.offer().get(0).getTaskId(), TaskState.TASK_FINISHED);
    // The second 02:30 (01:30Z) passes without a run; the next is the following night.
    h.advance(Duration.ofHours(3));
    assertThat(h.view().runsOf("nightly.report")).isEmpty();
    assertThat(h.view().historyOf("nightly.report").successCount()).isEqualTo(1);
    assertThat(h.view().schedulesOf("nightly.report").get(0).nextRunAt()).isEqualTo("2026-10-26T01:30:00Z");
  }

  @Test
  void forbidSkipsAnOccurrenceWhileARunIsActive() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T10:00:30Z"));
    h.createJob(JOB);
    h.addSchedule("nightly.report", """
        {"id": "every-minute", "cron": "* * * * *", "concurrencyPolicy": "FORBID"}""");
    h.advance(Duration.ofMinutes(1));
    TaskInfo task = h.offer().get(0);
    h.status(task.getTaskId(), TaskState.TASK_RUNNING);
    h.advance(Duration.ofMinutes(3));
    assertThat(h.view().runsOf("nightly.report")).hasSize(1);
    h.status(task.getTaskId(), TaskState.TASK_FINISHED);
    h.advance(Duration.ofMinutes(1));
    assertThat(h.view().runsOf("nightly.report")).hasSize(1);
    assertThat(h.view().runsOf("nightly.report").get(0).status()).isEqualTo(RunState.INITIAL);
  }

  @Test
  void onFailureRetriesUntilTheActiveDeadline() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T10:00:00Z"));
    h.createJob("""
        {"id": "flaky", "run": {"cmd": "false", "cpus": 0.1, "mem": 32,
         "restart": {"policy": "ON_FAILURE", "activeDeadlineSeconds": 60}}}""");
    JobRun run = h.await(e -> e.startRun("flaky"));
    TaskInfo first = h.offer().get(0);
    h.status(first.getTaskId(), TaskState.TASK_FAILED);
    assertThat(h.view().runsOf("flaky").get(0).status()).isEqualTo(RunState.INITIAL);
    TaskInfo second = h.offer().get(0);
    assertThat(second.getTaskId()).isNotEqualTo(first.getTaskId()).startsWith("flaky_" + run.id());
    h.advance(Duration.ofSeconds(61));
    h.status(second.getTaskId(), TaskState.TASK_FAILED);
    assertThat(h.view().runsOf("flaky")).isEmpty();
    JobHistory history = h.view().historyOf("flaky");
    assertThat(history.failureCount()).isEqualTo(1);
    assertThat(history.failedFinishedRuns().get(0).tasks()).containsExactly(first.getTaskId(), second.getTaskId());
  }

  @Test
  void stopKillsTheRunsTaskAndTheRunFails() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T10:00:00Z"));
    h.createJob(JOB);
    JobRun run = h.await(e -> e.startRun("nightly.report"));
    TaskInfo task = h.offer().get(0);
    h.status(task.getTaskId(), TaskState.TASK_RUNNING);
    h.await(e -> e.stopRun("nightly.report", run.id()));
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(task.getTaskId());
    h.status(task.getTaskId(), TaskState.TASK_KILLED);
    assertThat(h.view().runsOf("nightly.report")).isEmpty();
    assertThat(h.view().historyOf("nightly.report").failureCount()).isEqualTo(1);
  }

  @Test
  void deleteRefusesWithActiveRunsUnlessTheyAreStopped() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T10:00:00Z"));
    h.createJob(JOB);
    h.await(e -> e.startRun("nightly.report"));
    TaskInfo task = h.offer().get(0);
    assertThatThrownBy(() -> h.<dev.corral.jobs.spec.JobSpec>await(e -> e.deleteJob("nightly.report", false)))
        .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.status()).isEqualTo(409));
    h.<dev.corral.jobs.spec.JobSpec>await(e -> e.deleteJob("nightly.report", true));
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(task.getTaskId());
    assertThat(h.view().jobs()).isEmpty();
    assertThat(h.store.children(JobPaths.JOBS)).isEmpty();
  }

  @Test
  void aRestartKeepsJobsSchedulesHistoryAndResumesActiveRuns() {
    MemoryStore store = new MemoryStore();
    FakeClock clock = new FakeClock(Instant.parse("2026-05-01T10:00:00Z"));
    JobHarness h = JobHarness.running(store, clock);
    h.createJob(JOB);
    h.addSchedule("nightly.report", """
        {"id": "daily", "cron": "0 3 * * *"}""");
    h.await(e -> e.startRun("nightly.report"));
    TaskInfo done = h.offer().get(0);
    h.status(done.getTaskId(), TaskState.TASK_FINISHED);
    h.await(e -> e.startRun("nightly.report"));
    TaskInfo live = h.offer().get(0);
    h.status(live.getTaskId(), TaskState.TASK_RUNNING);
    h.scheduler.close();

    JobHarness again = JobHarness.running(store, clock);
    assertThat(again.view().jobs()).containsKey("nightly.report");
    assertThat(again.view().schedulesOf("nightly.report")).extracting(s -> s.spec().id()).containsExactly("daily");
    assertThat(again.view().historyOf("nightly.report").successCount()).isEqualTo(1);
    assertThat(again.view().runsOf("nightly.report")).singleElement()
        .extracting(JobRun::status).isEqualTo(RunState.ACTIVE);
    assertThat(again.driver.info().getFrameworkId()).isEqualTo("fw-1");
    assertThat(again.driver.reconciles()).singleElement()
        .satisfies(r -> assertThat(r.get(0).getTaskId()).isEqualTo(live.getTaskId()));
    again.status(live.getTaskId(), TaskState.TASK_FINISHED);
    assertThat(again.view().historyOf("nightly.report").successCount()).isEqualTo(2);
  }

  @Test
  void afterAnOutageOnlyTheLatestMissedOccurrenceRunsAndOnlyWithinItsDeadline() {
    MemoryStore store = new MemoryStore();
    FakeClock clock = new FakeClock(Instant.parse("2026-05-01T09:59:00Z"));
    JobHarness h = JobHarness.running(store, clock);
    h.createJob(JOB);
    h.addSchedule("nightly.report", """
        {"id": "every-10", "cron": "*/10 * * * *", "startingDeadlineSeconds": 120}""");
    h.scheduler.close();

    // Down from 09:59 to 10:31: 10:00, 10:10, 10:20, 10:30 were missed; 10:30 is 60 s old, within 120 s.
    clock.set(Instant.parse("2026-05-01T10:31:00Z"));
    JobHarness again = JobHarness.running(store, clock);
    assertThat(again.view().runsOf("nightly.report")).singleElement()
        .extracting(JobRun::createdAt).isEqualTo(Instant.parse("2026-05-01T10:31:00Z"));
    again.scheduler.close();

    // Down again until 10:45: 10:40 is 5 minutes old, past the deadline: skipped.
    clock.set(Instant.parse("2026-05-01T10:45:00Z"));
    JobHarness third = JobHarness.running(store, clock);
    assertThat(third.view().runsOf("nightly.report")).hasSize(1);
    assertThat(third.view().schedulesOf("nightly.report").get(0).nextRunAt()).isEqualTo("2026-05-01T10:50:00Z");
  }

  @Test
  void aRunWithoutResourcesFailsAfterMaxLaunchDelay() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T10:00:00Z"));
    h.createJob("""
        {"id": "big", "run": {"cmd": "x", "cpus": 100, "mem": 32, "maxLaunchDelay": 30}}""");
    h.await(e -> e.startRun("big"));
    assertThat(h.offer()).isEmpty();
    h.advance(Duration.ofSeconds(31));
    assertThat(h.view().runsOf("big")).isEmpty();
    assertThat(h.view().historyOf("big").failureCount()).isEqualTo(1);
  }

  @Test
  void aJobWithAnImageLaunchesItsTaskInThatImage() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T09:58:30Z"));
    h.createJob("""
        {"id": "in-image", "run": {"cpus": 0.1, "mem": 32,
         "docker": {"image": "registry.local:5000/tools:1", "forcePullImage": true}}}""");
    h.await(e -> e.startRun("in-image"));
    TaskInfo task = h.offer().get(0);
    assertThat(task.getContainer().getImage()).isEqualTo("registry.local:5000/tools:1");
    assertThat(task.getContainer().getForcePull()).isTrue();
    assertThat(task.getCommand().getValue()).as("no command: the image's own runs").isEmpty();
  }

  @Test
  void aJobsSecretsAndHostVolumesReachItsTaskAsReferencesAndMounts() {
    JobHarness h = JobHarness.running(Instant.parse("2026-05-01T09:58:30Z"));
    h.createJob("""
        {"id": "team-a.backup", "run": {"cpus": 0.1, "mem": 32, "cmd": "backup",
         "secrets": {"pw": {"source": "/team-a/db-password"}, "key": {"source": "ca-key"}},
         "env": {"PLAIN": "1", "DB_PASSWORD": {"secret": "pw"}},
         "volumes": [{"containerPath": "keys/ca.pem", "secret": "key"},
                     {"containerPath": "/backups", "hostPath": "/srv/backups", "mode": "RW"}]}}""");
    h.await(e -> e.startRun("team-a.backup"));
    TaskInfo task = h.offer().get(0);
    assertThat(task.getSecretsList()).containsExactly(
        SecretRef.newBuilder().setSource("team-a/db-password").setEnvName("DB_PASSWORD").build(),
        SecretRef.newBuilder().setSource("ca-key").setFilePath("keys/ca.pem").build());
    assertThat(task.getCommand().getEnvironmentMap()).containsEntry("PLAIN", "1").doesNotContainKey("DB_PASSWORD");
    assertThat(task.getVolumeMountsList()).containsExactly(VolumeMount.newBuilder().setName("/backups")
        .setMountPath("/backups").setHostPath("/srv/backups").build());
  }
}

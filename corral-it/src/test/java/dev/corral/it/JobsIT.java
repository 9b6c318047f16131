package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs end to end on `corral up`: a job created and run through the CLI succeeds, its output is in its task's log,
 * a failing run is counted as a failure, a schedule gets its next run time, and bad input is a 422 with the path.
 */
class JobsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void aJobRunsThroughTheCliAndItsHistoryAndLogsShowIt() throws Exception {
    try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 5)) {
      Path job = Files.writeString(dir.resolve("job.json"), """
          {"id": "nightly-report", "description": "prints a report",
           "run": {"cmd": "echo report for $MESOS_TASK_ID; exit ${FAIL:-0}", "cpus": 0.1, "mem": 32, "disk": 0}}
          """);
      CorralProcess.Result added = node.cli(WAIT, "job", "add", job.toString());
      assertThat(added.exitCode()).as(added.output()).isZero();
      assertThat(added.output()).contains("Created job nightly-report");

      CorralProcess.Result run = node.cli(WAIT, "job", "run", "nightly-report");
      assertThat(run.exitCode()).as(run.output()).isZero();
      await().atMost(WAIT).until(() -> history(node).path("successCount").asLong() == 1);
      JsonNode finished = history(node).path("successfulFinishedRuns").get(0);
      String taskId = finished.path("tasks").get(0).asText();
      assertThat(node.cli(WAIT, "task", "log", taskId).output()).contains("report for " + taskId);
      CorralProcess.Result listed = node.cli(WAIT, "job", "history", "nightly-report");
      assertThat(listed.output()).contains("successes: 1").contains(finished.path("id").asText()).contains("SUCCESS");

      // a run that fails counts as a failure
      assertThat(node.api.put("/v1/jobs/nightly-report", """
          {"id": "nightly-report", "run": {"cmd": "exit 3", "cpus": 0.1, "mem": 32, "disk": 0}}
          """).status()).isEqualTo(200);
      node.cli(WAIT, "job", "run", "nightly-report");
      await().atMost(WAIT).until(() -> history(node).path("failureCount").asLong() == 1);

      // a schedule knows its next run; a bad one is refused with the field's path
      Path schedule = Files.writeString(dir.resolve("schedule.json"), """
          {"id": "every-minute", "cron": "* * * * *", "timezone": "Europe/Berlin", "concurrencyPolicy": "FORBID"}
          """);
      CorralProcess.Result scheduled = node.cli(WAIT, "job", "schedule", "add", "nightly-report", schedule.toString());
      assertThat(scheduled.exitCode()).as(scheduled.output()).isZero();
      String next = node.api.get("/v1/jobs/nightly-report/schedules/every-minute").json().path("nextRunAt").asText();
      assertThat(Instant.parse(next.replace("+0000", "Z"))).isBefore(Instant.now().plusSeconds(61)); // Metronome's format
      Marathon.Response bad = node.api.post("/v1/jobs", "{\"id\": \"bad\", \"run\": {\"cpus\": -1, \"mem\": 32}}");
      assertThat(bad.status()).isEqualTo(422);
      assertThat(bad.body()).contains("/run/cpus");

      CorralProcess.Result removed = node.cli(WAIT, "job", "remove", "nightly-report", "--stop-current-job-runs");
      assertThat(removed.exitCode()).as(removed.output()).isZero();
      assertThat(node.api.get("/v1/jobs/nightly-report").status()).isEqualTo(404);
    }
  }

  private static JsonNode history(SingleNode node) throws Exception {
    return node.api.get("/v1/jobs/nightly-report?embed=history").json().path("history");
  }
}

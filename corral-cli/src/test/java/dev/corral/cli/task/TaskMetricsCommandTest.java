package dev.corral.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code task metrics} against a fake gateway speaking the real routes. */
class TaskMetricsCommandTest {
  static final String BODY = """
      {"datapoints": [
        {"name": "cpus.user.time", "value": 1.23456, "unit": "seconds", "timestamp": "2025-01-01T00:00:00Z",
         "tags": {"task_id": "db.c3"}},
        {"name": "mem.total", "value": 1048576.0, "unit": "bytes", "timestamp": "2025-01-01T00:00:00Z",
         "tags": {"task_id": "db.c3"}}],
       "dimensions": {"task_id": "db.c3"}}
      """;

  private FakeMarathon gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeMarathon();
    gateway.on("GET", "/v2/tasks", 200, """
        {"tasks": [{"id": "db.c3", "appId": "/db", "host": "h1", "state": "TASK_RUNNING"}]}
        """);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void printsAnAlignedTableOfDatapoints() {
    gateway.on("GET", "/system/v1/metrics/v0/containers/db.c3", 200, BODY);
    Result r = CliRun.run("task", "metrics", "db", "--url", gateway.url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        NAME            VALUE    UNIT
        cpus.user.time  1.235    seconds
        mem.total       1048576  bytes
        """);
  }

  @Test
  void jsonPrintsTheApiBody() {
    gateway.on("GET", "/system/v1/metrics/v0/containers/db.c3", 200, BODY);
    Result r = CliRun.run("task", "metrics", "db.c3", "--json", "--url", gateway.url());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\"datapoints\"").contains("\"cpus.user.time\"");
  }

  @Test
  void aTaskThatDoesNotRunShowsTheGatewaysMessage() {
    gateway.on("GET", "/system/v1/metrics/v0/containers/gone.1", 404,
        "{\"message\":\"task 'gone.1' is unknown to the master\"}");
    Result r = CliRun.run("task", "metrics", "gone.1", "--url", gateway.url());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("unknown to the master");
  }
}

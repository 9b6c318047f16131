package dev.corral.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppShowCommandTest {
  private static final String SHOW_PATH = "/v2/apps/prod/web?embed=apps.tasks,apps.counts,apps.lastTaskFailure";

  private static final String APP = """
      {"app": {
        "id": "/prod/web", "cmd": "nginx -g 'daemon off;'", "instances": 2, "cpus": 0.5, "mem": 256.0, "disk": 0,
        "gpus": 0, "constraints": [["hostname", "UNIQUE"]], "labels": {"tier": "frontend", "team": "web"},
        "version": "2024-05-01T10:00:00.000Z",
        "tasksStaged": 1, "tasksRunning": 1, "tasksHealthy": 1, "tasksUnhealthy": 0,
        "deployments": [{"id": "5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43"}],
        "tasks": [
          {"id": "prod_web.b2", "appId": "/prod/web", "host": "agent-2.local", "ports": [31001, 31002],
           "state": "TASK_STAGING", "stagedAt": "2024-05-01T10:00:06.000Z", "startedAt": null},
          {"id": "prod_web.a1", "appId": "/prod/web", "host": "agent-1.local", "ports": [31000],
           "state": "TASK_RUNNING", "stagedAt": "2024-05-01T10:00:01.000Z", "startedAt": "2024-05-01T10:00:05.123Z"}
        ],
        "lastTaskFailure": {"appId": "/prod/web", "host": "agent-3.local", "state": "TASK_FAILED",
          "message": "Command exited with status 137\\n(OOM?)", "taskId": "prod_web.z9",
          "timestamp": "2024-05-01T09:59:00.000Z", "version": "2024-05-01T09:00:00.000Z"}
      }}
      """;

  private FakeMarathon marathon;

  @BeforeEach
  void start() throws Exception {
    marathon = new FakeMarathon();
  }

  @AfterEach
  void stop() {
    marathon.close();
  }

  @Test
  void printsFieldsCountsTasksAndTheLastFailure() {
    marathon.on("GET", SHOW_PATH, 200, APP);

    Result result = CliRun.run("app", "show", "prod/web", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "ID:            /prod/web\n"
        + "CMD:           nginx -g 'daemon off;'\n"
        + "INSTANCES:     1/2 running (staged 1, healthy 1, unhealthy 0)\n"
        + "CPUS:          0.5\n"
        + "MEM:           256 MiB\n"
        + "DISK:          0 MiB\n"
        + "CONSTRAINTS:   hostname UNIQUE\n"
        + "LABELS:        team=web, tier=frontend\n"
        + "VERSION:       2024-05-01T10:00:00.000Z\n"
        + "DEPLOYMENTS:   5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43\n"
        + "LAST FAILURE:  TASK_FAILED on agent-3.local at 2024-05-01T09:59:00.000Z: "
        + "Command exited with status 137 (OOM?)\n"
        + "\n"
        + "Tasks:\n"
        + "TASK ID      HOST           STATE         PORTS        STARTED\n"
        + "prod_web.a1  agent-1.local  TASK_RUNNING  31000        2024-05-01T10:00:05.123Z\n"
        + "prod_web.b2  agent-2.local  TASK_STAGING  31001,31002  -\n");
  }

  @Test
  void anAppWithoutTasksOrFailureSaysSo() {
    marathon.on("GET", "/v2/apps/idle?embed=apps.tasks,apps.counts,apps.lastTaskFailure", 200, """
        {"app": {"id": "/idle", "cmd": "sleep 1", "instances": 0, "cpus": 0.1, "mem": 16, "disk": 0,
                 "version": "v1", "tasksStaged": 0, "tasksRunning": 0, "tasksHealthy": 0, "tasksUnhealthy": 0,
                 "deployments": [], "tasks": []}}
        """);

    Result result = CliRun.run("app", "show", "/idle", "--url", marathon.url());

    assertThat(result.out())
        .contains("INSTANCES:  0/0 running (staged 0, healthy 0, unhealthy 0)\n")
        .doesNotContain("LAST FAILURE", "DEPLOYMENTS", "CONSTRAINTS", "LABELS")
        .endsWith("\nNo tasks.\n");
  }

  @Test
  void jsonPrintsTheApiAnswerPrettyPrinted() throws Exception {
    marathon.on("GET", SHOW_PATH, 200, APP);

    Result result = CliRun.run("app", "show", "/prod/web", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(APP));
    assertThat(result.out()).startsWith("{\n  \"app\" : {\n");
  }

  @Test
  void anUnknownAppIsOneErrorLineWithTheApiMessageAndExitCodeOne() {
    marathon.on("GET", "/v2/apps/nope?embed=apps.tasks,apps.counts,apps.lastTaskFailure", 404,
        "{\"message\": \"App '/nope' does not exist\"}");

    Result result = CliRun.run("app", "show", "nope", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("error: App '/nope' does not exist (404)\n");
  }
}

package dev.corral.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskListCommandTest {
  // One task without "state" (Marathon before 1.4) and one staging task that has not started yet.
  private static final String TASKS = """
      {"tasks": [
        {"id": "tools_docker_registry.002b4d28", "appId": "/tools/docker/registry", "host": "srv2.example.com",
         "ports": [31721], "startedAt": "2015-08-19T21:26:50.864Z", "stagedAt": "2015-08-19T21:26:49.040Z",
         "state": "TASK_RUNNING", "servicePorts": [5000]},
        {"id": "frontend.083be411", "appId": "/frontend", "host": "srv4.example.com", "ports": [31292, 31293],
         "startedAt": "2015-09-17T09:32:42.598Z", "stagedAt": "2015-09-17T09:32:36.822Z"},
        {"id": "frontend.19aa0c2e", "appId": "/frontend", "host": "srv10.example.com", "ports": [],
         "stagedAt": "2015-09-17T09:40:00.000Z", "state": "TASK_STAGING"}
      ]}
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
  void listsAllTasksAlignedAndSortedByAppThenId() {
    marathon.on("GET", "/v2/tasks", 200, TASKS);

    Result result = CliRun.run("task", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "TASK ID                         APP                     HOST               STATE         PORTS"
        + "        STARTED\n"
        + "frontend.083be411               /frontend               srv4.example.com   -             31292,31293"
        + "  2015-09-17T09:32:42.598Z\n"
        + "frontend.19aa0c2e               /frontend               srv10.example.com  TASK_STAGING  -"
        + "            -\n"
        + "tools_docker_registry.002b4d28  /tools/docker/registry  srv2.example.com   TASK_RUNNING  31721"
        + "        2015-08-19T21:26:50.864Z\n");
  }

  @Test
  void appOptionAsksForThatAppsTasksWithSlashesKept() {
    marathon.on("GET", "/v2/apps/tools/docker/registry/tasks", 200, """
        {"tasks": [{"id": "t1", "appId": "/tools/docker/registry", "host": "h", "ports": [1],
                    "state": "TASK_RUNNING", "startedAt": "s"}]}
        """);

    Result result = CliRun.run("task", "list", "--app", "tools/docker/registry", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "TASK ID  APP                     HOST  STATE         PORTS  STARTED\n"
        + "t1       /tools/docker/registry  h     TASK_RUNNING  1      s\n");
    assertThat(marathon.requests()).singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo("/v2/apps/tools/docker/registry/tasks"));
  }

  @Test
  void jsonPrintsTheApiAnswerPrettyPrinted() throws Exception {
    marathon.on("GET", "/v2/tasks", 200, TASKS);

    Result result = CliRun.run("task", "list", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(TASKS));
    assertThat(result.out()).startsWith("{\n  \"tasks\" : [ {\n");
  }

  @Test
  void anInvalidAppIdIsAUsageError() {
    Result result = CliRun.run("task", "list", "--app", "a b", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Invalid value for option '--app': invalid app id '/a b'");
    assertThat(marathon.requests()).isEmpty();
  }
}

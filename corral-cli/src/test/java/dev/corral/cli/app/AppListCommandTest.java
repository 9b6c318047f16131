package dev.corral.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppListCommandTest {
  private static final String LIST_PATH = "/v2/apps?embed=apps.counts";

  // Marathon-shaped, in the server's order (not sorted): a cmd app, a Docker app without cmd, and a
  // multi-line cmd that is too long for the table.
  private static final String APPS = """
      {"apps": [
        {"id": "/sleep", "cmd": "sleep 1000", "args": null, "instances": 3, "cpus": 0.1, "mem": 32.0, "disk": 0,
         "tasksStaged": 1, "tasksRunning": 2, "tasksHealthy": 0, "tasksUnhealthy": 0, "deployments": []},
        {"id": "/prod/web/nginx", "cmd": null, "instances": 10, "cpus": 1.5, "mem": 1024, "disk": 512,
         "container": {"type": "DOCKER", "docker": {"image": "nginx:1.27"}},
         "tasksStaged": 0, "tasksRunning": 10, "tasksHealthy": 10, "tasksUnhealthy": 0},
        {"id": "/batch/long", "instances": 1, "cpus": 2, "mem": 128, "disk": 0,
         "cmd": "python3 -m http.server 8080 --bind 0.0.0.0\\n  --directory /srv/www/data && echo done",
         "tasksStaged": 0, "tasksRunning": 0, "tasksHealthy": 0, "tasksUnhealthy": 0}
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
  void printsAnAlignedTableSortedById() {
    marathon.on("GET", LIST_PATH, 200, APPS);

    Result result = CliRun.run("app", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "ID               INSTANCES  CPUS  MEM   DISK  CMD\n"
        + "/batch/long      0/1        2     128   0     python3 -m http.server 8080 --bind 0....\n"
        + "/prod/web/nginx  10/10      1.5   1024  512   image nginx:1.27\n"
        + "/sleep           2/3        0.1   32    0     sleep 1000\n");
  }

  @Test
  void withoutEmbeddedCountsTheRunningCountIsUnknownNotZero() {
    marathon.on("GET", LIST_PATH, 200, """
        {"apps": [{"id": "/old", "cmd": "true", "instances": 2, "cpus": 1, "mem": 64, "disk": 0}]}
        """);

    Result result = CliRun.run("app", "list", "--url", marathon.url());

    assertThat(result.out()).isEqualTo(""
        + "ID    INSTANCES  CPUS  MEM  DISK  CMD\n"
        + "/old  -/2        1     64   0     true\n");
  }

  @Test
  void noAppsPrintsOnlyTheHeader() {
    marathon.on("GET", LIST_PATH, 200, "{\"apps\": []}");

    Result result = CliRun.run("app", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("ID  INSTANCES  CPUS  MEM  DISK  CMD\n");
  }

  @Test
  void jsonPrintsTheApiAnswerPrettyPrinted() throws Exception {
    marathon.on("GET", LIST_PATH, 200, APPS);

    Result result = CliRun.run("app", "list", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(APPS));
    assertThat(result.out()).startsWith("{\n  \"apps\" : [ {\n    \"id\" : \"/sleep\",");
  }
}

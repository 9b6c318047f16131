package dev.corral.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code task log}, {@code task ls}, {@code task cat} against a fake gateway speaking the real routes. */
class TaskLogCommandTest {
  private static final String TASKS = """
      {"tasks": [
        {"id": "web.a1", "appId": "/web", "host": "h1", "state": "TASK_RUNNING",
         "startedAt": "2024-01-01T10:00:00.000Z", "stagedAt": "2024-01-01T09:59:00.000Z"},
        {"id": "web.b2", "appId": "/web", "host": "h2", "state": "TASK_RUNNING",
         "startedAt": "2024-01-01T11:00:00.000Z", "stagedAt": "2024-01-01T10:59:00.000Z"},
        {"id": "db.c3", "appId": "/db", "host": "h1", "state": "TASK_RUNNING",
         "startedAt": "2024-01-01T08:00:00.000Z"}
      ]}
      """;

  private FakeMarathon gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeMarathon();
    gateway.on("GET", "/v2/tasks", 200, TASKS);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void printsTheLastLinesOfATaskById() {
    gateway.on("GET", "/system/v1/logs/tasks/db.c3/stdout?lines=2", 200, "x\ny\n");
    Result r = CliRun.run("task", "log", "-n", "2", "db.c3", "--url", gateway.url());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("x\ny\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void anAppIdPicksItsMostRecentRunningTaskAndSaysSo() {
    gateway.on("GET", "/system/v1/logs/tasks/web.b2/stderr?lines=10", 200, "oops\n");
    Result r = CliRun.run("task", "log", "--stderr", "web", "--url", gateway.url());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("oops\n");
    assertThat(r.err()).contains("app /web has 2 tasks; using the most recent running one, web.b2");
  }

  @Test
  void followPrintsLinesUntilEof() {
    gateway.onEventStream("/system/v1/logs/tasks/db.c3/stdout?lines=10&follow=true",
        "event: meta\ndata: {\"taskId\":\"db.c3\"}\n\ndata: one\n\n: keep-alive\n\ndata: two\n\n"
            + "event: eof\ndata: {}\n\ndata: never\n\n", true);
    Result r = CliRun.run("task", "log", "-f", "db.c3", "--url", gateway.url());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("one\ntwo\n");
  }

  @Test
  void aCallerWhoMayNotListTasksGivesTheTaskIdItself() {
    gateway.on("GET", "/v2/tasks", 403, "{\"message\":\"'eve' lacks the permission corral:service:marathon:* (read)\"}");
    gateway.on("GET", "/system/v1/logs/tasks/db.c3/stdout?lines=10", 200, "mine\n");
    Result r = CliRun.run("task", "log", "db.c3", "--url", gateway.url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("mine\n");
  }

  @Test
  void unknownTaskShowsTheGatewaysMessage() {
    gateway.on("GET", "/system/v1/logs/tasks/gone.1/stdout?lines=10", 404,
        "{\"message\":\"task 'gone.1' is unknown to the master: it never ran, or it ended long ago\"}");
    Result r = CliRun.run("task", "log", "gone.1", "--url", gateway.url());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("unknown to the master");
  }

  @Test
  void lsPrintsAnAlignedTableAndCatPrintsTheFile() {
    gateway.on("GET", "/system/v1/files/tasks/db.c3/browse?path=", 200, """
        [{"path":"conf","size":4096,"mtime":1704067200,"mode":"drwxr-xr-x","isDir":true},
         {"path":"stdout","size":12,"mtime":1704067200,"mode":"-rw-r--r--","isDir":false}]
        """);
    Result ls = CliRun.run("task", "ls", "db", "--url", gateway.url());
    assertThat(ls.exitCode()).isZero();
    assertThat(ls.out()).isEqualTo(""
        + "MODE        SIZE  MODIFIED (UTC)       PATH\n"
        + "drwxr-xr-x  4096  2024-01-01 00:00:00  conf/\n"
        + "-rw-r--r--  12    2024-01-01 00:00:00  stdout\n");
    gateway.on("GET", "/system/v1/files/tasks/db.c3/download?path=conf%2Fapp.yaml", 200, "x: 1\n");
    Result cat = CliRun.run("task", "cat", "db.c3", "conf/app.yaml", "--url", gateway.url());
    assertThat(cat.out()).isEqualTo("x: 1\n");
  }
}

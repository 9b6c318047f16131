package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * `corral up` as a user runs it: one process with embedded ZooKeeper, master, service scheduler and agent.
 * The steps share one cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String HTTP_APP = """
      {"id": "/web/hello", "instances": 2, "cpus": 0.1, "mem": 64,
       "cmd": "echo hello-from-$MARATHON_APP_ID > index.html && exec python3 -m http.server --bind 127.0.0.1 $PORT0",
       "portDefinitions": [{"port": 0, "name": "http"}]}
      """;

  @TempDir
  static Path dir;
  static CorralProcess up;
  static Marathon api;
  static int httpPort;
  static int grpcPort;
  static int portBase;

  @BeforeAll
  static void startCluster() throws Exception {
    httpPort = Ports.free();
    grpcPort = Ports.free();
    portBase = Ports.freeRange(50);
    api = new Marathon(httpPort);
    up = startUp();
  }

  private static CorralProcess startUp(String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("up", "--work-dir", dir.resolve("work").toString(),
        "--http-port", Integer.toString(httpPort), "--grpc-port", Integer.toString(grpcPort), "--hostname", "127.0.0.1",
        "--resources", "cpus:4;mem:4096;disk:2048;ports:[" + portBase + "-" + (portBase + 49) + "]"));
    args.addAll(List.of(extra));
    CorralProcess p = CorralProcess.start(dir.resolve("up.log"), args.toArray(String[]::new));
    p.awaitLog("Corral", WAIT);
    p.awaitLog("is up", WAIT);
    return p;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (up != null) {
      up.stop();
    }
    TaskProcesses.killAllUnder(dir);
  }

  @Test
  @Order(1)
  void runsTheMarathonSleepAppAndAnHttpServerApp() throws Exception {
    // Marathon's own sleep app when the corpus is beside the clone; the same definition otherwise.
    Path corpusApp = Compat.pathOrNull("marathon/apps/sleep-app.json");
    String sleepApp = corpusApp != null ? Files.readString(corpusApp)
        : "{\"id\": \"/sleep\", \"instances\": 1, \"cmd\": \"sleep 100000000\", \"cpus\": 0.01, \"mem\": 8, \"disk\": 0}";
    Marathon.Response created = api.post("/v2/apps", sleepApp);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("id").asText()).isEqualTo("/sleep");

    assertThat(api.post("/v2/apps", HTTP_APP).status()).isEqualTo(201);
    api.awaitTasks("/sleep", Marathon.running(1), WAIT);
    List<JsonNode> web = api.awaitTasks("/web/hello", Marathon.running(2), WAIT);

    HttpClient http = HttpClient.newHttpClient();
    for (JsonNode task : web) {
      int port = task.path("ports").get(0).asInt();
      assertThat(port).isBetween(portBase, portBase + 49);
      assertThat(task.path("host").asText()).isEqualTo("127.0.0.1");
      String body = awaitHttp(http, "http://127.0.0.1:" + port + "/index.html");
      assertThat(body).contains("hello-from-/web/hello");
    }
  }

  @Test
  @Order(2)
  void replacesATaskKilledFromOutside() throws Exception {
    JsonNode victim = api.tasks("/sleep", "TASK_RUNNING").get(0);
    String taskId = victim.path("id").asText();
    long pid = TaskProcesses.pidOf(dir, taskId, "sleep");
    TaskProcesses.signalGroup(pid, "KILL");

    List<JsonNode> tasks = api.awaitTasks("/sleep",
        ts -> ts.size() == 1 && !ts.get(0).path("id").asText().equals(taskId)
            && "TASK_RUNNING".equals(ts.get(0).path("state").asText()), WAIT);
    assertThat(tasks.get(0).path("id").asText()).isNotEqualTo(taskId);
    JsonNode failure = api.get("/v2/apps/sleep?embed=apps.lastTaskFailure").json().path("app").path("lastTaskFailure");
    assertThat(failure.path("taskId").asText()).isEqualTo(taskId);
    assertThat(failure.path("message").asText()).containsIgnoringCase("signal 9");
  }

  @Test
  @Order(3)
  void scalesToZeroAndBack() throws Exception {
    assertThat(api.put("/v2/apps/web/hello", "{\"instances\": 0}").status()).isEqualTo(200);
    api.awaitTasks("/web/hello", List::isEmpty, WAIT);
    assertThat(TaskProcesses.under(dir).stream().filter(p -> p.cmdline().contains("http.server"))).isEmpty();
    assertThat(api.put("/v2/apps/web/hello", "{\"instances\": 3}").status()).isEqualTo(200);
    api.awaitTasks("/web/hello", Marathon.running(3), WAIT);
  }

  @Test
  @Order(4)
  void theCliListsAppsAndTasks() throws Exception {
    String url = "http://127.0.0.1:" + httpPort;
    CorralProcess.Result apps = CorralProcess.run(dir, "app", "list", "--url", url);
    assertThat(apps.exitCode()).as(apps.output()).isZero();
    assertThat(apps.output()).contains("/sleep").contains("/web/hello");
    CorralProcess.Result tasks = CorralProcess.run(dir, "--url", url, "task", "list", "--app", "/web/hello", "--json");
    assertThat(tasks.exitCode()).as(tasks.output()).isZero();
    assertThat(tasks.output()).contains("TASK_RUNNING");
    CorralProcess.Result missing = CorralProcess.run(dir, "app", "show", "/nope", "--url", url);
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.output()).contains("/nope");
  }

  @Test
  @Order(5)
  void restartWithTheSameWorkDirRecoversAppsAndRelaunchesKilledTasks() throws Exception {
    up.stop();
    assertThat(up.output()).contains("Stopped.");
    assertThat(TaskProcesses.under(dir.resolve("work/agent/sandboxes"))).as("tasks are killed on Ctrl-C").isEmpty();

    up = startUp("--keep-tasks");
    api.awaitTasks("/sleep", Marathon.running(1), WAIT);
    api.awaitTasks("/web/hello", Marathon.running(3), WAIT);
    assertThat(api.get("/v2/apps/web/hello").json().path("app").path("instances").asInt()).isEqualTo(3);
  }

  @Test
  @Order(6)
  void keepTasksLeavesTasksRunningAndTheNextStartReattaches() throws Exception {
    JsonNode before = api.tasks("/sleep", "TASK_RUNNING").get(0);
    String taskId = before.path("id").asText();
    long pid = TaskProcesses.pidOf(dir, taskId, "sleep");

    up.stop();
    assertThat(TaskProcesses.alive(pid)).as("--keep-tasks leaves the task running").isTrue();

    up = startUp();
    List<JsonNode> after = api.awaitTasks("/sleep", Marathon.running(1), WAIT);
    assertThat(after.get(0).path("id").asText()).isEqualTo(taskId);
    assertThat(TaskProcesses.pidOf(dir, taskId, "sleep")).isEqualTo(pid);
  }

  @Test
  @Order(7)
  void deletingAnAppKillsItsTasks() throws Exception {
    assertThat(api.delete("/v2/apps/web/hello?force=true").status()).isEqualTo(200);
    assertThat(api.get("/v2/apps/web/hello").status()).isEqualTo(404);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (TaskProcesses.under(dir).stream().anyMatch(p -> p.cmdline().contains("http.server"))) {
      assertThat(System.nanoTime()).as("http servers still running").isLessThan(deadline);
      Thread.sleep(100);
    }
    while (api.get("/v2/tasks").json().path("tasks").findValuesAsText("appId").contains("/web/hello")) {
      assertThat(System.nanoTime()).as("killed tasks still listed").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(api.get("/v2/tasks").json().path("tasks").findValuesAsText("appId")).contains("/sleep");
  }

  @Test
  @Order(8)
  void aTaskOverItsMemoryLimitIsReportedAsSuch() throws Exception {
    Assumptions.assumeTrue(up.output().contains("Isolation:  cgroups"),
        "skipped: tasks run without cgroups here (not root), so there is no memory limit to exceed");
    String app = """
        {"id": "/hog", "instances": 1, "cpus": 0.1, "mem": 32, "backoffSeconds": 60,
         "cmd": "head -c 300M /dev/zero | tail"}
        """;
    assertThat(api.post("/v2/apps", app).status()).isEqualTo(201);
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode failure;
    while (!(failure = api.get("/v2/apps/hog?embed=apps.lastTaskFailure").json().path("app").path("lastTaskFailure"))
        .hasNonNull("taskId")) {
      assertThat(System.nanoTime()).as("no task failure reported for /hog").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(failure.path("state").asText()).isEqualTo("TASK_FAILED");
    assertThat(failure.path("message").asText()).containsIgnoringCase("memory limit");
    assertThat(api.delete("/v2/apps/hog?force=true").status()).isEqualTo(200);
  }

  private static String awaitHttp(HttpClient http, String url) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (java.io.IOException notYet) {
        // the server is still starting
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " never answered");
      }
      Thread.sleep(100);
    }
  }
}

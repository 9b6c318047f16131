package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Marathon health checks end to end on `corral up`: the agent probes real tasks, the API shows the results,
 * and the scheduler replaces a task that keeps failing its check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  static CorralProcess up;
  static Marathon api;
  static int portBase;

  @BeforeAll
  static void startCluster() throws Exception {
    int httpPort = Ports.free();
    portBase = Ports.freeRange(20);
    api = new Marathon(httpPort);
    up = CorralProcess.start(dir.resolve("up.log"), "up", "--work-dir", dir.resolve("work").toString(),
        "--http-port", Integer.toString(httpPort), "--grpc-port", Integer.toString(Ports.free()),
        "--hostname", "127.0.0.1",
        "--resources", "cpus:4;mem:4096;disk:2048;ports:[" + portBase + "-" + (portBase + 19) + "]");
    up.awaitLog("is up", WAIT);
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
  void anHttpServerWithAnHttpCheckBecomesHealthy() throws Exception {
    String app = """
        {"id": "/health/web", "instances": 2, "cpus": 0.1, "mem": 64,
         "cmd": "exec python3 -m http.server --bind 127.0.0.1 $PORT0",
         "healthChecks": [{"protocol": "HTTP", "portIndex": 0, "path": "/", "gracePeriodSeconds": 30,
                           "intervalSeconds": 1, "timeoutSeconds": 2, "delaySeconds": 0,
                           "maxConsecutiveFailures": 3}]}
        """;
    Marathon.Response created = api.post("/v2/apps", app);
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    JsonNode shown = awaitApp("/health/web", a -> a.path("tasksHealthy").asInt() == 2);
    assertThat(shown.path("tasksUnhealthy").asInt()).isZero();
    assertThat(shown.path("healthChecks").get(0).path("timeoutSeconds").asInt()).isEqualTo(2);
    List<JsonNode> tasks = api.tasks("/health/web", "TASK_RUNNING");
    assertThat(tasks).hasSize(2);
    for (JsonNode task : tasks) {
      JsonNode result = task.path("healthCheckResults").get(0);
      assertThat(result.path("alive").asBoolean()).as(task.toString()).isTrue();
      assertThat(result.path("consecutiveFailures").asInt()).isZero();
      assertThat(result.path("firstSuccess").asText()).isNotEmpty();
      assertThat(result.path("instanceId").asText()).isNotEmpty();
    }
    assertThat(api.delete("/v2/apps/health/web?force=true").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aTaskFailingItsCommandCheckIsKilledAndReplaced() throws Exception {
    String app = """
        {"id": "/health/sick", "instances": 1, "cpus": 0.1, "mem": 32, "cmd": "exec sleep 100000",
         "healthChecks": [{"protocol": "COMMAND", "command": {"value": "false"}, "gracePeriodSeconds": 0,
                           "intervalSeconds": 1, "timeoutSeconds": 1, "delaySeconds": 0,
                           "maxConsecutiveFailures": 2}]}
        """;
    assertThat(api.post("/v2/apps", app).status()).isEqualTo(201);
    List<JsonNode> first = api.awaitTasks("/health/sick", Marathon.running(1), WAIT);
    String firstId = first.get(0).path("id").asText();

    api.awaitTasks("/health/sick", ts -> ts.stream().anyMatch(t -> !t.path("id").asText().equals(firstId)), WAIT);
    JsonNode failure = api.get("/v2/apps/health/sick?embed=apps.lastTaskFailure").json().path("app")
        .path("lastTaskFailure");
    assertThat(failure.path("taskId").asText()).isEqualTo(firstId);
    assertThat(failure.path("message").asText()).contains("unhealthy").contains("health check 0 (COMMAND)")
        .contains("failed 2 consecutive times");
    assertThat(api.delete("/v2/apps/health/sick?force=true").status()).isEqualTo(200);
  }

  /** Waits until GET /v2/apps/{id} satisfies {@code ok}; returns the app. */
  private static JsonNode awaitApp(String id, java.util.function.Predicate<JsonNode> ok) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode app = api.get("/v2/apps" + id).json().path("app");
    while (!ok.test(app)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("app " + id + " never matched within " + WAIT + "; last: " + app
            + "\ntasks: " + api.get("/v2/apps" + id + "/tasks").body());
      }
      Thread.sleep(200);
      app = api.get("/v2/apps" + id).json().path("app");
    }
    return app;
  }
}

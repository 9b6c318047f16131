package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling upgrades on a real cluster (a master and three agents as separate processes): a 4-instance app
 * with HTTP health checks and minimumHealthCapacity 0.5 keeps at least 2 healthy tasks in every sample while
 * it moves to a new version, the event stream tells the deployment in order, and a version whose health
 * check never passes never takes the old tasks below the floor; rolling it back restores the old version.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int AGENTS = 3;
  private static final String APP = "/roll/web";
  private static final String DEFINITION = """
      {"id": "/roll/web", "instances": 4, "cpus": 0.1, "mem": 64, "env": {"VERSION": "%s"},
       "cmd": "%s",
       "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0},
       "healthChecks": [{"protocol": "HTTP", "portIndex": 0, "path": "/", "gracePeriodSeconds": 5,
                         "intervalSeconds": 1, "timeoutSeconds": 1, "delaySeconds": 0,
                         "maxConsecutiveFailures": 2}]}
      """;
  private static final String SERVE = "exec python3 -m http.server --bind 127.0.0.1 $PORT0";

  @TempDir
  static Path dir;
  static Cluster cluster;
  static Marathon api;
  static int httpPort;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir, AGENTS, i -> "127.0.0.1", "cpus:1;mem:512;disk:512");
    api = cluster.api;
    httpPort = cluster.httpPort;
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void anUpgradeKeepsTheHealthFloorAndTheStreamTellsItInOrder() throws Exception {
    assertThat(api.post("/v2/apps", DEFINITION.formatted("1", SERVE)).status()).isEqualTo(201);
    awaitSettled();
    assertThat(healthy()).isEqualTo(4);

    EventReader events = EventReader.open(httpPort,
        "event_type=deployment_info&event_type=deployment_step_success&event_type=deployment_success"
            + "&event_type=deployment_failed");
    Marathon.Response put = api.put("/v2/apps" + APP, DEFINITION.formatted("2", SERVE));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    String deploymentId = put.json().path("deploymentId").asText();
    String version = put.json().path("version").asText();

    List<Integer> samples = sampleUntilSettled();
    assertThat(samples).as("healthy tasks in every sample").allMatch(n -> n >= 2);
    assertThat(samples).as("the upgrade went through states with fewer than 4").anyMatch(n -> n < 4);
    List<JsonNode> tasks = api.tasks(APP, "TASK_RUNNING");
    assertThat(tasks).hasSize(4).allMatch(t -> t.path("version").asText().equals(version));

    List<JsonNode> seen = events.until(e -> e.path("eventType").asText().equals("deployment_success")
        && e.path("id").asText().equals(deploymentId), Duration.ofSeconds(30));
    events.close();
    List<String> types = seen.stream().filter(e -> e.path("plan").path("id").asText().equals(deploymentId))
        .map(e -> e.path("eventType").asText()).toList();
    assertThat(types).as("the deployment's events in order")
        .containsExactly("deployment_info", "deployment_step_success", "deployment_success");
  }

  @Test
  @Order(2)
  void aVersionThatNeverBecomesHealthyNeverTakesTheOldTasksBelowTheFloorAndRollsBack() throws Exception {
    Set<String> good = api.tasks(APP, "TASK_RUNNING").stream().map(t -> t.path("id").asText())
        .collect(Collectors.toSet());
    assertThat(good).hasSize(4);
    Marathon.Response put = api.put("/v2/apps" + APP, DEFINITION.formatted("3", "exec sleep 100000"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    String deploymentId = put.json().path("deploymentId").asText();

    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int minGoodRunning = Integer.MAX_VALUE;
    while (System.nanoTime() < until) {
      int goodRunning = 0;
      for (JsonNode t : api.tasks(APP, "TASK_RUNNING")) {
        if (good.contains(t.path("id").asText()) && alive(t)) {
          goodRunning++;
        }
      }
      minGoodRunning = Math.min(minGoodRunning, goodRunning);
      Thread.sleep(200);
    }
    assertThat(minGoodRunning).as("healthy tasks of the old version, fewest seen").isGreaterThanOrEqualTo(2);
    JsonNode deployments = api.get("/v2/deployments").json();
    assertThat(deployments).hasSize(1);
    assertThat(deployments.get(0).path("currentActions").get(0).path("status").asText())
        .as("the open deployment says why").contains("of version").contains("older version still running");

    Marathon.Response rollback = api.delete("/v2/deployments/" + deploymentId);
    assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
    awaitSettled();
    assertThat(api.get("/v2/apps" + APP).json().path("app").path("env").path("VERSION").asText()).isEqualTo("2");
    assertThat(healthy()).isEqualTo(4);
  }

  private static boolean alive(JsonNode task) {
    JsonNode results = task.path("healthCheckResults");
    return results.size() > 0 && results.get(0).path("alive").asBoolean();
  }

  private static int healthy() throws Exception {
    return api.get("/v2/apps" + APP).json().path("app").path("tasksHealthy").asInt();
  }

  private static void awaitSettled() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (api.get("/v2/deployments").json().size() > 0 || healthy() != 4) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never settled: " + api.get("/v2/deployments").body());
      }
      Thread.sleep(200);
    }
  }

  /** Healthy task counts, sampled every 100 ms until no deployment is left. */
  private static List<Integer> sampleUntilSettled() throws Exception {
    List<Integer> samples = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (api.get("/v2/deployments").json().size() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the upgrade never finished: " + api.get("/v2/deployments").body());
      }
      samples.add(healthy());
      Thread.sleep(100);
    }
    return samples;
  }

  /** Reads /v2/events in the background and keeps every data line as JSON. */
  static final class EventReader implements AutoCloseable {
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private final InputStream body;
    private final Thread thread;

    private EventReader(InputStream body) {
      this.body = body;
      this.thread = new Thread(this::read, "sse-reader");
      thread.setDaemon(true);
      thread.start();
    }

    static EventReader open(int port, String query) throws Exception {
      HttpResponse<InputStream> r = HttpClient.newHttpClient().send(new Marathon(port).authorize(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/v2/events?" + query))).header("Accept", "text/event-stream")
          .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      return new EventReader(r.body());
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("data:")) {
            events.add(Marathon.JSON.readTree(line.substring(5).trim()));
          }
        }
      } catch (Exception e) {
        // closed
      }
    }

    List<JsonNode> until(java.util.function.Predicate<JsonNode> last, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        synchronized (events) {
          for (int i = 0; i < events.size(); i++) {
            if (last.test(events.get(i))) {
              return List.copyOf(events.subList(0, i + 1));
            }
          }
        }
        Thread.sleep(50);
      }
      throw new AssertionError("no matching event within " + timeout + "; got " + events);
    }

    @Override
    public void close() throws Exception {
      body.close();
    }
  }
}

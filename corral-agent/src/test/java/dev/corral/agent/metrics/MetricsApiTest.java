package dev.corral.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.cgroups.Cgroups;
import dev.corral.common.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics API on a real server over a fake cgroup v2 tree and the real /proc: JSON shape, Prometheus text. */
class MetricsApiTest {
  @TempDir
  Path root;
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin server;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
    Files.writeString(root.resolve("cgroup.subtree_control"), "");
    Cgroups cgroups = CgroupDetector.detect(true, true, root);
    Path dir = Files.createDirectories(root.resolve("corral.slice/web.1"));
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n"
        + "nr_periods 3\nnr_throttled 1\nthrottled_usec 20000\n");
    Files.writeString(dir.resolve("memory.current"), "2097152\n");
    Files.writeString(dir.resolve("memory.max"), "67108864\n");
    ContainerInfo web = new ContainerInfo("web.1", "fw-1", "", "web", "/prod/web", Map.of("team", "a \"b\""));
    ContainerLookup lookup = new ContainerLookup() {
      @Override
      public CompletableFuture<List<ContainerInfo>> running() {
        return CompletableFuture.completedFuture(List.of(web));
      }

      @Override
      public CompletableFuture<Optional<ContainerInfo>> find(String id) {
        return CompletableFuture.completedFuture(Optional.of(web).filter(c -> c.containerId().equals(id)));
      }
    };
    AgentMetrics metrics = new AgentMetrics(new NodeSampler(Path.of("/proc"), root), cgroups, () -> "agent-7",
        "node-a", Clock.systemUTC());
    MetricsApi api = new MetricsApi(metrics, lookup);
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      api.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void containerMetricsHaveTheDcosMetricsShape() throws Exception {
    assertThat(Json.mapper().readTree(get("/system/v1/metrics/v0/containers").body()).toString())
        .isEqualTo("[\"web.1\"]");
    HttpResponse<String> res = get("/system/v1/metrics/v0/containers/web.1");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
    JsonNode body = Json.mapper().readTree(res.body());
    JsonNode dims = body.path("dimensions");
    assertThat(dims.path("agent_id").asText()).isEqualTo("agent-7");
    assertThat(dims.path("hostname").asText()).isEqualTo("node-a");
    assertThat(dims.path("container_id").asText()).isEqualTo("web.1");
    assertThat(dims.path("task_id").asText()).isEqualTo("web.1");
    assertThat(dims.path("task_name").asText()).isEqualTo("web");
    assertThat(dims.path("framework_id").asText()).isEqualTo("fw-1");
    assertThat(dims.has("executor_id")).isTrue();
    assertThat(dims.path("labels").path("team").asText()).isEqualTo("a \"b\"");
    JsonNode user = point(body, "cpus.user.time");
    assertThat(user.path("value").asDouble()).isEqualTo(1.0);
    assertThat(user.path("unit").asText()).isEqualTo("seconds");
    assertThat(java.time.Instant.parse(user.path("timestamp").asText())).isNotNull();
    assertThat(user.path("tags").path("agent_id").asText()).isEqualTo("agent-7");
    assertThat(user.path("tags").path("task_id").asText()).isEqualTo("web.1");
    assertThat(user.path("tags").path("app_id").asText()).isEqualTo("/prod/web");
    assertThat(user.path("tags").path("container_id").asText()).isEqualTo("web.1");
    assertThat(point(body, "mem.limit").path("value").asLong()).isEqualTo(64 << 20);
    for (JsonNode p : body.path("datapoints")) {
      assertThat(p.fieldNames()).toIterable().containsExactly("name", "value", "unit", "timestamp", "tags");
    }

    HttpResponse<String> unknown = get("/system/v1/metrics/v0/containers/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Json.mapper().readTree(unknown.body()).path("message").asText()).contains("nope");
  }

  @Test
  void nodeMetricsHaveTheDcosMetricsShape() throws Exception {
    JsonNode body = Json.mapper().readTree(get("/system/v1/metrics/v0/node").body());
    assertThat(body.path("dimensions").path("agent_id").asText()).isEqualTo("agent-7");
    assertThat(body.path("dimensions").has("task_id")).isFalse();
    assertThat(point(body, "memory.total").path("unit").asText()).isEqualTo("bytes");
    assertThat(point(body, "load.1min").path("tags").path("hostname").asText()).isEqualTo("node-a");
    assertThat(point(body, "filesystem.capacity.total").path("tags").path("path").asText())
        .isEqualTo(root.toString());
  }

  @Test
  void prometheusTextParsesAndCarriesAgentTaskAndAppLabels() throws Exception {
    HttpResponse<String> res = get("/metrics");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("text/plain; version=0.0.4"));
    List<PrometheusParser.Sample> samples = PrometheusParser.parse(res.body());
    PrometheusParser.Sample user = samples.stream()
        .filter(s -> s.name().equals("corral_container_cpus_user_time_seconds_total")).findFirst().orElseThrow();
    assertThat(user.type()).isEqualTo("counter");
    assertThat(user.value()).isEqualTo(1.0);
    assertThat(user.labels()).containsEntry("agent_id", "agent-7").containsEntry("task_id", "web.1")
        .containsEntry("app_id", "/prod/web").containsEntry("framework_id", "fw-1");
    PrometheusParser.Sample mem = samples.stream()
        .filter(s -> s.name().equals("corral_container_mem_total_bytes")).findFirst().orElseThrow();
    assertThat(mem.type()).isEqualTo("gauge");
    assertThat(mem.value()).isEqualTo(2097152);
    assertThat(samples).anySatisfy(s -> {
      assertThat(s.name()).isEqualTo("corral_node_memory_total_bytes");
      assertThat(s.labels()).containsEntry("hostname", "node-a").doesNotContainKey("task_id");
    });
  }

  private static JsonNode point(JsonNode body, String name) {
    for (JsonNode p : body.path("datapoints")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no datapoint " + name + " in " + body);
  }
}

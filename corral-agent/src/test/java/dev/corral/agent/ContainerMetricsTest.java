package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.files.FilesConfig;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real task burning cpu in its real cgroups, read through the agent's metrics API. */
class ContainerMetricsTest extends RealAgentTestBase {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void cpuTimeOfABusyTaskGrowsAndItsMemoryIsCounted() throws Exception {
    Agent agent = startAgent(AgentTestSupport.config(workDir), FilesConfig.defaults().withPort(0)
        .withBindAddress("127.0.0.1"));
    master.awaitConnected(LONG);
    String isolation = agent.describeIsolation();
    Assumptions.assumeTrue(isolation.contains("cpuacct") || isolation.contains("v2 (cpu"),
        "needs cgroups with cpu accounting (root, cgroups v1 with cpuacct or v2 with cpu): " + isolation);
    String id = unique("burn");
    master.runTask(shellTask(id, "while :; do :; done", 64)); // 0.1 cpus: also throttled
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);

    String path = "/system/v1/metrics/v0/containers/" + id;
    AtomicReference<Double> first = new AtomicReference<>();
    await().atMost(LONG).untilAsserted(() -> {
      JsonNode body = get(agent, path);
      first.set(value(body, "cpus.total.time"));
      assertThat(first.get()).isGreaterThan(0.0);
      assertThat(value(body, "mem.total")).isGreaterThan(0.0);
    });
    // the cache keeps a sample for a second: a later read sees more cpu time
    await().atMost(LONG).untilAsserted(() -> assertThat(value(get(agent, path), "cpus.total.time"))
        .isGreaterThan(first.get()));
    JsonNode body = get(agent, path);
    assertThat(value(body, "cpus.limit")).isEqualTo(0.1);
    assertThat(value(body, "mem.limit")).isEqualTo(64 << 20);
    assertThat(value(body, "pids.current")).isGreaterThanOrEqualTo(1.0);
    assertThat(body.path("dimensions").path("task_id").asText()).isEqualTo(id);
    assertThat(body.path("dimensions").path("app_id").asText()).isEqualTo("/test/app");
    assertThat(body.path("dimensions").path("agent_id").asText()).isEqualTo(agent.agentId());
    assertThat(get(agent, "/system/v1/metrics/v0/containers").toString()).contains("\"" + id + "\"");
    await().atMost(LONG).untilAsserted(() -> assertThat(value(get(agent, path), "cpus.throttled.periods"))
        .isGreaterThan(0.0));

    String prometheus = http.send(request(agent, "/metrics"), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(prometheus).contains("corral_container_cpus_total_time_seconds_total{agent_id=\"" + agent.agentId()
        + "\",hostname=\"test-host\",container_id=\"" + id + "\",task_id=\"" + id + "\"");
  }

  private JsonNode get(Agent agent, String path) throws Exception {
    HttpResponse<String> res = http.send(request(agent, path), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return Json.mapper().readTree(res.body());
  }

  private static HttpRequest request(Agent agent, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build();
  }

  private static double value(JsonNode body, String name) {
    for (JsonNode p : body.path("datapoints")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("value").asDouble();
      }
    }
    throw new AssertionError("no datapoint " + name + " in " + body);
  }
}

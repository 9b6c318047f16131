package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.corral.api.ResourceSet;
import dev.corral.api.Ranges;
import dev.corral.common.Json;
import dev.corral.master.AgentEndpoint;
import dev.corral.master.MasterCounts;
import dev.corral.master.TaskEndpoint;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metrics routes on a real server, forwarding to a fake agent that answers with the path it was asked. */
class MetricsRoutesTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer agent;
  private Gateway gateway;
  private Javalin server;

  @BeforeEach
  void start() throws Exception {
    agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext("/", ex -> {
      byte[] body = ("{\"path\":\"" + ex.getRequestURI().getRawPath() + "\"}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    agent.start();
    int port = agent.getAddress().getPort();
    AgentEndpoint a1 = new AgentEndpoint("a-1", "n1", "127.0.0.1", port, "CONNECTED", true, "0.1",
        Map.of("rack", "r1"), ResourceSet.builder().scalar("cpus", 4).scalar("mem", 1024)
            .ranges("ports", Ranges.of(31000, 31009)).build(), ResourceSet.builder().scalar("cpus", 0.5).build());
    AgentDirectory agents = new AgentDirectory() {
      @Override
      public CompletableFuture<Optional<AgentEndpoint>> agent(String id) {
        return CompletableFuture.completedFuture(Optional.of(a1).filter(a -> a.id().equals(id)));
      }

      @Override
      public CompletableFuture<List<AgentEndpoint>> agents() {
        return CompletableFuture.completedFuture(List.of(a1));
      }

      @Override
      public CompletableFuture<MasterCounts> counts() {
        return CompletableFuture.completedFuture(new MasterCounts(Map.of("CONNECTED", 1), Map.of("CONNECTED", 2),
            Map.of("TASK_RUNNING", 3), 4));
      }
    };
    gateway = new Gateway(id -> CompletableFuture.completedFuture(id.equals("web.1")
        ? Optional.of(new TaskEndpoint("web.1", "fw", "a-1", "127.0.0.1", port, "TASK_RUNNING", true))
        : Optional.empty()), name -> CompletableFuture.failedFuture(new IllegalStateException("no services")), agents,
        AccessCheck.ALLOW_ALL);
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      gateway.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
    gateway.close();
    agent.stop(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsAgentAndTaskMetricsToTheAgent() throws Exception {
    assertThat(get("/system/v1/agent/a-1/metrics/v0/node").body())
        .isEqualTo("{\"path\":\"/system/v1/metrics/v0/node\"}");
    assertThat(get("/system/v1/agent/a-1/metrics/v0/containers/web.1").body())
        .isEqualTo("{\"path\":\"/system/v1/metrics/v0/containers/web.1\"}");
    assertThat(get("/system/v1/metrics/v0/containers/web.1").body())
        .isEqualTo("{\"path\":\"/system/v1/metrics/v0/containers/web.1\"}");
    HttpResponse<String> noAgent = get("/system/v1/agent/a-9/metrics/v0/node");
    assertThat(noAgent.statusCode()).isEqualTo(404);
    assertThat(noAgent.body()).contains("a-9");
    assertThat(get("/system/v1/metrics/v0/containers/nope.1").statusCode()).isEqualTo(404);
  }

  @Test
  void listsAgentsInTheMesosShapeAndCountsForPrometheus() throws Exception {
    JsonNode a = Json.mapper().readTree(get("/master/slaves").body()).path("slaves").get(0);
    assertThat(a.path("id").asText()).isEqualTo("a-1");
    assertThat(a.path("hostname").asText()).isEqualTo("n1");
    assertThat(a.path("active").asBoolean()).isTrue();
    assertThat(a.path("http_address").asText()).isEqualTo("127.0.0.1:" + agent.getAddress().getPort());
    assertThat(a.path("resources").path("cpus").asDouble()).isEqualTo(4);
    assertThat(a.path("resources").path("ports").asText()).isEqualTo("[31000-31009]");
    assertThat(a.path("used_resources").path("cpus").asDouble()).isEqualTo(0.5);
    assertThat(a.path("attributes").path("rack").asText()).isEqualTo("r1");

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body()).contains("# TYPE corral_master_tasks gauge\n")
        .contains("corral_master_agents{state=\"CONNECTED\"} 1\n")
        .contains("corral_master_frameworks{state=\"CONNECTED\"} 2\n")
        .contains("corral_master_tasks{state=\"TASK_RUNNING\"} 3\n")
        .contains("corral_master_offers 4\n");
  }
}

package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.FakeClock;
import dev.corral.common.Json;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/discovery/vips} on a real server: the table, the hanging GET agents follow, bad parameters. */
class DiscoveryRoutesTest {
  private final RecordTableBuilder builder = new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress());
  private final HttpClient client = HttpClient.newHttpClient();
  private VipWatch watch;
  private Javalin server;

  private static DiscoveredApp web(int... ports) {
    List<DiscoveredApp.Task> tasks = new java.util.ArrayList<>();
    for (int p : ports) {
      tasks.add(new DiscoveredApp.Task("web." + p, "h", "127.0.0.1", List.of(p), true, null));
    }
    return new DiscoveredApp("/web", List.of(new DiscoveredApp.Port(0, null, "tcp", List.of(new Vip("web", 80)))),
        false, tasks);
  }

  @BeforeEach
  void start() {
    watch = new VipWatch(new FakeClock(Instant.ofEpochMilli(5_000)));
    watch.accept(builder.build(1, List.of(web(31000))));
    DiscoveryRoutes routes = new DiscoveryRoutes(() -> builder.build(1, List.of(web(31000))), watch);
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      routes.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFollowerWaitsForTheNextChangeAndGetsItAtOnce() throws Exception {
    JsonNode now = Json.mapper().readTree(get("/v1/discovery/vips").body());
    long index = now.path("index").asLong();
    assertThat(now.path("vips").get(0).path("backends").toString()).isEqualTo("[\"127.0.0.1:31000\"]");
    assertThat(now.path("vips").get(0).path("protocol").asText()).isEqualTo("tcp");

    // an index the follower does not have yet: answered at once
    assertThat(Json.mapper().readTree(get("/v1/discovery/vips?index=1").body()).path("index").asLong())
        .isEqualTo(index);

    CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/v1/discovery/vips?index=" + index + "&wait=60")).build(),
        HttpResponse.BodyHandlers.ofString());
    // the same routes again (a rebuild with nothing new for the proxies) does not answer it
    watch.accept(builder.build(2, List.of(web(31000))));
    assertThat(waiting.isDone()).isFalse();
    watch.accept(builder.build(3, List.of(web(31000, 31001))));
    JsonNode changed = Json.mapper().readTree(waiting.get(20, TimeUnit.SECONDS).body());
    assertThat(changed.path("index").asLong()).isNotEqualTo(index);
    assertThat(changed.path("vips").get(0).path("backends")).hasSize(2);

    // wait=0: the unchanged table at once
    long latest = changed.path("index").asLong();
    assertThat(Json.mapper().readTree(get("/v1/discovery/vips?index=" + latest + "&wait=0").body())
        .path("index").asLong()).isEqualTo(latest);
  }

  @Test
  void badParametersAreRefusedNamingThem() throws Exception {
    HttpResponse<String> index = get("/v1/discovery/vips?index=soon");
    assertThat(index.statusCode()).isEqualTo(400);
    assertThat(index.body()).contains("index");
    HttpResponse<String> wait = get("/v1/discovery/vips?index=1&wait=9999");
    assertThat(wait.statusCode()).isEqualTo(400);
    assertThat(wait.body()).contains("wait");
  }
}

package dev.corral.services.api;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThreadEventLoop;
import dev.corral.services.ApiFixture;
import dev.corral.services.MarathonTestServer;
import dev.corral.services.Offers;
import dev.corral.services.ServiceScheduler;
import dev.corral.services.ServicesConfig;
import dev.corral.services.SseTestClient;
import dev.corral.services.SseTestClient.Frame;
import dev.corral.services.events.EventBus;
import dev.corral.services.events.EventStreamEndpoint;
import io.javalin.Javalin;
import dev.corral.state.MemoryStore;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /v2/events over real HTTP: Marathon's stream, plus Corral's resume contract. */
class EventStreamTest {
  private static final Map<String, String> SSE = Map.of("Accept", "text/event-stream");
  private final ApiFixture api = new ApiFixture();
  private final List<SseTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(SseTestClient::close);
    api.close();
  }

  private SseTestClient open(String pathAndQuery, Map<String, String> headers) {
    SseTestClient c = SseTestClient.open(api.server.uri(pathAndQuery), headers);
    clients.add(c);
    return c;
  }

  private String createAndRun(String id) {
    assertThat(api.post("/v2/apps", "{\"id\": \"" + id + "\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}")
        .status()).isEqualTo(201);
    api.driver.scheduler().offers(List.of(Offers.big("o-" + id, "host-a")));
    await().atMost(Duration.ofSeconds(5)).until(() -> launched(id) != null);
    String taskId = launched(id);
    api.driver.scheduler().update(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING)
        .setAgentId("agent-host-a").setUuid("u-" + id).build());
    return taskId;
  }

  private String launched(String appId) {
    return api.driver.launchedTasks().stream().map(t -> t.getTaskId())
        .filter(t -> t.startsWith(appId.substring(1) + ".")).findFirst().orElse(null);
  }

  @Test
  void theStreamNeedsAnEventStreamAcceptHeaderAndValidParameters() {
    ApiFixture.Response plain = api.get("/v2/events");
    assertThat(plain.status()).isEqualTo(406);
    assertThat(plain.json().get("message").asText()).contains("Accept: text/event-stream");

    SseTestClient badType = open("/v2/events?event_type=status_update_event,no_such_event", SSE);
    assertThat(badType.response().statusCode()).isEqualTo(400);
    SseTestClient badId = open("/v2/events", Map.of("Accept", "text/event-stream", "Last-Event-ID", "yesterday"));
    assertThat(badId.response().statusCode()).isEqualTo(400);
    assertThat(api.scheduler.events().subscriberCount()).isZero();
  }

  @Test
  void anAppCreatedThroughTheApiIsPostedThenItsTaskStatusesFollowInOrder() {
    SseTestClient stream = open("/v2/events", Map.of("Accept", "text/event-stream, application/json;q=0.5",
        "Accept-Encoding", "gzip"));
    HttpResponse<?> head = stream.response();
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(head.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-cache");
    assertThat(head.headers().firstValue("Content-Encoding")).as("events are not held back by compression").isEmpty();

    Frame attached = stream.next();
    assertThat(attached.event()).isEqualTo("event_stream_attached");
    assertThat(attached.json().get("remoteAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(attached.json().get("eventType").asText()).isEqualTo("event_stream_attached");
    assertThat(attached.id()).isNotNull();

    String taskId = createAndRun("/web");

    Frame post = stream.next("api_post_event");
    assertThat(post.json().get("uri").asText()).isEqualTo("/v2/apps");
    assertThat(post.json().get("clientIp").asText()).isEqualTo("127.0.0.1");
    assertThat(post.json().get("appDefinition").get("id").asText()).isEqualTo("/web");
    Frame status = stream.next("status_update_event");
    assertThat(status.json().get("taskId").asText()).isEqualTo(taskId);
    assertThat(status.json().get("taskStatus").asText()).isEqualTo("TASK_RUNNING");
    assertThat(status.json().get("appId").asText()).isEqualTo("/web");
    assertThat(status.id()).isGreaterThan(post.id());
    assertThat(stream.next("instance_changed_event").json().get("condition").asText()).isEqualTo("Running");
  }

  @Test
  void aClientReconnectingWithLastEventIdResumesExactlyAfterIt() {
    SseTestClient first = open("/v2/events", SSE);
    first.next("event_stream_attached");
    createAndRun("/web");
    long resumeAfter = first.next("api_post_event").id();
    Frame last = first.next("instance_changed_event");
    while (!last.json().path("condition").asText().equals("Running")) {
      last = first.next("instance_changed_event");
    }
    first.close();

    for (Map<String, String> how : List.of(Map.of("Accept", "text/event-stream", "Last-Event-ID", "" + resumeAfter),
        Map.of("Accept", "text/event-stream"))) {
      String path = how.containsKey("Last-Event-ID") ? "/v2/events" : "/v2/events?lastEventId=" + resumeAfter;
      SseTestClient again = open(path, how);
      long expected = resumeAfter + 1;
      Frame f = again.next();
      // Everything after the given id, in order and without a hole, then this client's own attachment.
      while (!(f.event().equals("event_stream_attached") && f.id() > last.id())) {
        assertThat(f.id()).isEqualTo(expected++);
        f = again.next();
      }
      assertThat(expected).isGreaterThan(last.id());
      again.close();
    }
  }

  @Test
  void eventTypesFilterTheStreamAsRepeatedParametersOrACommaList() {
    SseTestClient repeated = open("/v2/events?event_type=api_post_event&event_type=status_update_event", SSE);
    SseTestClient commas = open("/v2/events?event_type=api_post_event,status_update_event", SSE);
    createAndRun("/web");

    for (SseTestClient c : List.of(repeated, commas)) {
      assertThat(c.next().event()).isEqualTo("api_post_event");
      assertThat(c.next().event()).isEqualTo("status_update_event");
    }
  }

  @Test
  void aClientThatLeavesIsReportedDetached() {
    SseTestClient watcher = open("/v2/events?event_type=event_stream_detached", SSE);
    SseTestClient leaving = open("/v2/events", SSE);
    leaving.next("event_stream_attached");
    leaving.close();

    // The server learns of it when it next writes to the client.
    for (int i = 0; i < 5 && api.scheduler.events().subscriberCount() > 1; i++) {
      api.post("/v2/apps", "{\"id\": \"/poke-" + i + "\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 16}");
    }
    Frame detached = watcher.next();
    assertThat(detached.event()).isEqualTo("event_stream_detached");
    assertThat(detached.json().get("remoteAddress").asText()).isEqualTo("127.0.0.1");
    await().atMost(Duration.ofSeconds(5)).until(() -> api.scheduler.events().subscriberCount() == 1);
  }

  @Test
  void anIdleStreamCarriesHeartbeatComments() {
    EventBus bus = new EventBus(Clock.systemUTC());
    EventStreamEndpoint endpoint = new EventStreamEndpoint(bus, Duration.ofMillis(50));
    Javalin javalin = Javalin.create(c -> c.routes.get("/events", endpoint::handle)).start("127.0.0.1", 0);
    try {
      SseTestClient idle = SseTestClient.open(URI.create("http://127.0.0.1:" + javalin.port() + "/events"), SSE);
      clients.add(idle);
      idle.next("event_stream_attached");
      await().atMost(Duration.ofSeconds(5)).until(() -> idle.comments() >= 2);
      assertThat(idle.ended()).isFalse();
    } finally {
      javalin.stop();
    }
  }

  @Test
  void moreClientsThanTheBusAllowsAreTurnedAwayWith503() {
    MemoryStore store = new MemoryStore();
    ThreadEventLoop loop = new ThreadEventLoop("services-test-503", Clock.systemUTC());
    FakeDriver driver = new FakeDriver();
    ServiceScheduler scheduler = new ServiceScheduler(ServicesConfig.defaults("localhost", "localhost:8080"), store,
        loop, driver::create, new EventBus(loop.clock(), new EventBus.Limits(100, 10, 1)));
    scheduler.start();
    try (MarathonTestServer server = MarathonTestServer.start(scheduler)) {
      SseTestClient one = SseTestClient.open(server.uri("/v2/events"), SSE);
      clients.add(one);
      one.next("event_stream_attached");
      SseTestClient two = SseTestClient.open(server.uri("/v2/events"), SSE);
      clients.add(two);
      assertThat(two.response().statusCode()).isEqualTo(503);
    } finally {
      clients.forEach(SseTestClient::close);
      scheduler.close();
      loop.shutdown();
    }
  }

  @Test
  void aSchedulerThatCannotServeAnswers503WithRetryAfter() throws Exception {
    MemoryStore store = new MemoryStore();
    ThreadEventLoop loop = new ThreadEventLoop("services-test-closed", Clock.systemUTC());
    FakeDriver driver = new FakeDriver();
    ServiceScheduler scheduler = new ServiceScheduler(ServicesConfig.defaults("localhost", "localhost:8080"), store,
        loop, driver::create, new EventBus(loop.clock()));
    scheduler.start();
    try (MarathonTestServer server = MarathonTestServer.start(scheduler)) {
      scheduler.close();
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(server.uri("/v2/apps")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).contains("1");
    } finally {
      loop.shutdown();
    }
  }
}

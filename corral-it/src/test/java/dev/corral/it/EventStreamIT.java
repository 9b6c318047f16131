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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /v2/events on a real node: an app's life as Marathon tools see it, and a resume after a reconnect. */
class EventStreamIT {
  @TempDir
  static Path dir;
  static CorralProcess up;
  static Marathon api;
  static int http;

  /** One SSE event as read off the wire. */
  record Frame(String event, JsonNode data, Long id) {}

  @BeforeAll
  static void start() throws Exception {
    http = Ports.free();
    int ports = Ports.freeRange(5);
    up = CorralProcess.start(dir.resolve("up.log"), "up", "--work-dir", dir.resolve("work").toString(), "--http-port",
        Integer.toString(http), "--grpc-port", Integer.toString(Ports.free()), "--hostname", "127.0.0.1",
        "--resources", "cpus:2;mem:1024;disk:100;ports:[" + ports + "-" + (ports + 4) + "]");
    api = new Marathon(http);
    up.awaitLog("is up", Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (up != null) {
      up.stop();
    }
    TaskProcesses.killAllUnder(dir);
  }

  /** Opens the stream; a daemon thread parses it into the returned queue. */
  static BlockingQueue<Frame> open(String lastEventId) throws Exception {
    return open(api, http, lastEventId);
  }

  /** Opens the stream of the node at {@code port} with {@code client}'s credentials. */
  static BlockingQueue<Frame> open(Marathon client, int port, String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/events"))
        .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(client.authorize(b).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String event = null;
        String data = null;
        Long id = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          } else if (line.startsWith("id: ")) {
            id = Long.parseLong(line.substring(4));
          } else if (line.isEmpty() && data != null) {
            frames.add(new Frame(event, Marathon.JSON.readTree(data), id));
            event = null;
            data = null;
            id = null;
          }
        }
      } catch (Exception e) {
        // the test is over
      }
    }, "event-stream-reader");
    reader.setDaemon(true);
    reader.start();
    return frames;
  }

  static Frame next(BlockingQueue<Frame> frames, String event, String appId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Frame f = frames.poll(1, TimeUnit.SECONDS);
      if (f != null && f.event().equals(event) && (appId == null || appId.equals(f.data().path("appId").asText(
          f.data().path("appDefinition").path("id").asText())))) {
        return f;
      }
    }
    throw new AssertionError("no " + event + " for " + appId + " within 60 s");
  }

  @Test
  void anAppsLifeAppearsInOrderAndAReconnectResumesAfterTheLastEventSeen() throws Exception {
    BlockingQueue<Frame> stream = open(null);
    assertThat(next(stream, "event_stream_attached", null).data().path("remoteAddress").asText()).isNotEmpty();

    assertThat(api.post("/v2/apps", "{\"id\": \"/ev\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}").status())
        .isEqualTo(201);
    Frame posted = next(stream, "api_post_event", "/ev");
    assertThat(posted.data().path("uri").asText()).isEqualTo("/v2/apps");
    Frame running = next(stream, "status_update_event", "/ev");
    while (!running.data().path("taskStatus").asText().equals("TASK_RUNNING")) {
      running = next(stream, "status_update_event", "/ev");
    }
    assertThat(running.id()).isGreaterThan(posted.id());
    assertThat(running.data().path("host").asText()).isEqualTo("127.0.0.1");

    // A second client that last saw the api_post_event gets everything after it, in order, from the start.
    BlockingQueue<Frame> resumed = open(Long.toString(posted.id()));
    Frame first = resumed.poll(30, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.id()).isEqualTo(posted.id() + 1);

    assertThat(api.delete("/v2/apps/ev").status()).isEqualTo(200);
    next(stream, "app_terminated_event", "/ev");
    Frame killed = next(stream, "status_update_event", "/ev");
    while (!killed.data().path("taskStatus").asText().equals("TASK_KILLED")) {
      killed = next(stream, "status_update_event", "/ev");
    }
    assertThat(killed.data().path("taskId").asText()).isEqualTo(running.data().path("taskId").asText());
  }
}

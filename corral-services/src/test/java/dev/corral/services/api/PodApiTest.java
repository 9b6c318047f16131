package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /v2/pods} over HTTP: the routes, versions, locks, killing instances, events and the queue. */
class PodApiTest {
  private static final String POD = """
      {"id": "/web", "scaling": {"kind": "fixed", "instances": 1},
       "containers": [{"name": "main", "resources": {"cpus": 0.1, "mem": 32},
                       "exec": {"command": {"shell": "sleep 600"}}}]}""";

  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void podsAreCreatedReadVersionedLockedAndDeleted() {
    ApiFixture.Response created = api.post("/v2/pods", POD);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/v2/pods/web");
    String v1 = created.json().get("version").asText();
    assertThat(api.send("HEAD", "/v2/pods", "").status()).isEqualTo(200);
    assertThat(api.get("/v2/pods").json()).hasSize(1);
    assertThat(api.get("/v2/apps").json().get("apps")).isEmpty();
    assertThat(api.get("/v2/pods/nope").status()).isEqualTo(404);
    assertThat(api.get("/v2/pods/nope::status").status()).isEqualTo(404);

    // the start deployment never finishes without offers: a second write is locked
    ApiFixture.Response locked = api.put("/v2/pods/web", POD.replace("sleep 600", "sleep 700"));
    assertThat(locked.status()).isEqualTo(409);
    assertThat(locked.json().get("deployments").get(0).has("id")).isTrue();
    ApiFixture.Response forced = api.put("/v2/pods/web?force=true", POD.replace("sleep 600", "sleep 700"));
    assertThat(forced.status()).isEqualTo(200);
    assertThat(forced.header("Marathon-Deployment-Id")).isNotNull();
    String v2 = forced.json().get("version").asText();
    assertThat(api.get("/v2/pods/web::versions").json()).extracting(JsonNode::asText).containsExactly(v2, v1);
    assertThat(api.get("/v2/pods/web::versions/" + v1).json().get("containers").get(0).get("exec").get("command")
        .get("shell").asText()).isEqualTo("sleep 600");
    // back to the first version
    assertThat(api.put("/v2/pods/web?force=true", "{\"version\": \"" + v1 + "\"}").status()).isEqualTo(200);
    assertThat(api.get("/v2/pods/web").json().get("containers").get(0).get("exec").get("command").get("shell")
        .asText()).isEqualTo("sleep 600");
    // the id in the body must be the URL's
    ApiFixture.Response mismatch = api.put("/v2/pods/web?force=true", POD.replace("/web", "/other"));
    assertThat(mismatch.status()).isEqualTo(422);
    assertThat(mismatch.raw()).contains("\"/id\"");

    // waiting in the queue, as a pod
    JsonNode queue = api.get("/v2/queue").json().get("queue");
    assertThat(queue).hasSize(1);
    assertThat(queue.get(0).get("pod").get("id").asText()).isEqualTo("/web");

    ApiFixture.Response deleted = api.delete("/v2/pods/web?force=true");
    assertThat(deleted.status()).isEqualTo(202);
    assertThat(deleted.header("Marathon-Deployment-Id")).isNotNull();
    assertThat(api.get("/v2/pods/web").status()).isEqualTo(404);
  }

  @Test
  void writesAndInstancesAreOnTheEventStream() {
    try (dev.corral.services.SseTestClient events = dev.corral.services.SseTestClient.open(
        api.server.uri("/v2/events"), java.util.Map.of("Accept", "text/event-stream"))) {
      events.next("event_stream_attached");
      assertThat(api.post("/v2/pods", POD).status()).isEqualTo(201);
      // the API publishes pod_created_event once the write is stored, the scheduler's loop the new instance:
      // either may come first
      java.util.Map<String, JsonNode> first = new java.util.HashMap<>();
      while (!first.containsKey("pod_created_event") || !first.containsKey("instance_changed_event")) {
        dev.corral.services.SseTestClient.Frame f = events.next();
        first.putIfAbsent(f.event(), f.json());
      }
      JsonNode created = first.get("pod_created_event");
      assertThat(created.get("uri").asText()).isEqualTo("/v2/pods");
      assertThat(created.get("podId").asText()).isEqualTo("/web");
      assertThat(first.get("instance_changed_event").get("condition").asText()).isEqualTo("Scheduled");
      await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/info").json().path("frameworkId").asText().equals("fw-1"));
      api.driver.scheduler().offers(List.of(Offers.big("o1", "host-a")));
      JsonNode changed = events.next("instance_changed_event").json();
      assertThat(changed.get("runSpecId").asText()).isEqualTo("/web");
      assertThat(changed.get("condition").asText()).isEqualTo("Staging");
      assertThat(api.put("/v2/pods/web?force=true", POD.replace("sleep 600", "sleep 700")).status()).isEqualTo(200);
      events.next("pod_updated_event");
      assertThat(api.delete("/v2/pods/web?force=true").status()).isEqualTo(202);
      events.next("pod_deleted_event");
    }
  }

  @Test
  void anInstanceIsKilledAsAWholeAndReplaced() {
    api.post("/v2/pods", POD);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/info").json().path("frameworkId").asText().equals("fw-1"));
    api.driver.scheduler().offers(List.of(Offers.big("o1", "host-a")));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedGroups().size() == 1);
    JsonNode instance = api.get("/v2/pods/web::status").json().get("instances").get(0);
    String instanceId = instance.get("id").asText();
    assertThat(instance.get("status").asText()).isEqualTo("STAGING");
    assertThat(api.get("/v2/tasks").json().get("tasks").get(0).get("id").asText())
        .isEqualTo(api.driver.launchedGroups().get(0).getTasks(0).getTaskId());
    // a container task belongs to its pod (what per-app permissions on logs and exec are checked against)
    String containerTask = api.driver.launchedGroups().get(0).getTasks(0).getTaskId();
    assertThat(api.scheduler.runSpecOfTask("fw-1", containerTask).join()).contains("/web");
    assertThat(api.scheduler.runSpecOfTask("another-framework", containerTask).join()).isEmpty();

    ApiFixture.Response killed = api.delete("/v2/pods/web::instances/" + instanceId);
    assertThat(killed.status()).as(killed.raw()).isEqualTo(200);
    assertThat(killed.json().get("id").asText()).isEqualTo(instanceId);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.kills().size() == 1);
    assertThat(api.driver.kills().get(0).taskId()).isEqualTo(api.driver.launchedGroups().get(0).getTasks(0).getTaskId());
    // the pod keeps its count: a new instance waits beside the one being killed
    JsonNode status = api.get("/v2/pods/web::status").json();
    assertThat(status.get("instances")).extracting(i -> i.get("status").asText())
        .containsExactlyInAnyOrder("TERMINAL", "PENDING");
    assertThat(api.delete("/v2/pods/web::instances/nope").status()).isEqualTo(404);
  }
}

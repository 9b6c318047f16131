package dev.corral.services.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.Json;
import dev.corral.services.Harness;
import dev.corral.services.Offers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the service scheduler publishes, in what order, in Marathon's shapes. */
class SchedulerEventsTest {
  private static final RequestOrigin ORIGIN = new RequestOrigin("10.0.0.7", "/v2/apps");
  private final Harness h = Harness.running();
  private final Subscription subscription = h.scheduler.events().subscribe(Set.of(), OptionalLong.empty(), () -> { });

  private List<JsonNode> published() {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      Subscription.Delivery d = subscription.poll(100);
      for (Event e : d.events()) {
        try {
          out.add(Json.mapper().readTree(e.json()));
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }
      if (d.events().isEmpty()) {
        return out;
      }
    }
  }

  private static List<JsonNode> withoutDeployments(List<JsonNode> events) {
    return events.stream().filter(e -> !e.get("eventType").asText().startsWith("deployment_")).toList();
  }

  private static List<String> summary(List<JsonNode> events) {
    return events.stream().map(e -> e.get("eventType").asText()
        + (e.has("condition") ? ":" + e.get("condition").asText() : "")
        + (e.has("taskStatus") ? ":" + e.get("taskStatus").asText() : "")).toList();
  }

  @Test
  void anAppFromTheApiIsAnnouncedBeforeItsInstancesAndTasksChange() {
    h.await(h.scheduler.createApp(Harness.object("""
        {"id": "/web", "cmd": "sleep 1000", "cpus": 0.1, "mem": 16, "portDefinitions": [{"port": 0}]}"""), ORIGIN));
    h.offers(Offers.big("o1", "host-a"));
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    h.status(taskId, TaskState.TASK_RUNNING);
    h.status(taskId, TaskState.TASK_RUNNING);

    List<JsonNode> events = published();
    assertThat(summary(events)).as("a repeated status changes nothing and is not published").containsExactly(
        "api_post_event", "deployment_info", "deployment_step_success", "deployment_info",
        "instance_changed_event:Scheduled", "instance_changed_event:Staging",
        "status_update_event:TASK_RUNNING", "instance_changed_event:Running", "deployment_step_success",
        "deployment_success");
    events = withoutDeployments(events);

    JsonNode post = events.get(0);
    assertThat(post.get("clientIp").asText()).isEqualTo("10.0.0.7");
    assertThat(post.get("uri").asText()).isEqualTo("/v2/apps");
    assertThat(post.get("appDefinition").get("id").asText()).isEqualTo("/web");
    assertThat(post.get("appDefinition").get("backoffFactor").asDouble()).as("with Marathon's defaults").isEqualTo(1.15);

    String version = post.get("appDefinition").get("version").asText();
    JsonNode status = events.get(3);
    assertThat(status.fieldNames()).toIterable().containsExactly("slaveId", "taskId", "taskStatus", "message",
        "appId", "host", "ipAddresses", "ports", "version", "eventType", "timestamp");
    assertThat(status.get("slaveId").asText()).isEqualTo("agent-host-a");
    assertThat(status.get("taskId").asText()).isEqualTo(taskId);
    assertThat(status.get("appId").asText()).isEqualTo("/web");
    assertThat(status.get("host").asText()).isEqualTo("host-a");
    assertThat(status.get("ports")).hasSize(1);
    assertThat(status.get("ipAddresses")).isEmpty();
    assertThat(status.get("version").asText()).isEqualTo(version);
    assertThat(status.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00.000Z");

    JsonNode running = events.get(4);
    assertThat(running.get("instanceId").asText()).isEqualTo(h.instances("/web").get(0).id());
    assertThat(running.get("runSpecId").asText()).isEqualTo("/web");
    assertThat(running.get("agentId").asText()).isEqualTo("agent-host-a");
    assertThat(running.get("host").asText()).isEqualTo("host-a");
    assertThat(running.get("runSpecVersion").asText()).isEqualTo(version);
    JsonNode scheduled = events.get(1);
    assertThat(scheduled.get("agentId").isNull()).isTrue();
    assertThat(scheduled.get("runSpecVersion").asText()).isEqualTo(version);
  }

  @Test
  void aFailedTaskIsReportedAsFailedThenScheduledAgain() {
    h.create("{\"id\": \"/crash\", \"cmd\": \"exit 1\", \"cpus\": 0.1, \"mem\": 16}");
    h.offers(Offers.big("o1", "host-a"));
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    published();

    h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_FAILED).setMessage("exit 1")
        .setAgentId("agent-host-a").setUuid("u1").build());

    List<JsonNode> events = published();
    assertThat(summary(events)).containsExactly("status_update_event:TASK_FAILED", "instance_changed_event:Failed",
        "instance_changed_event:Scheduled");
    assertThat(events.get(0).get("message").asText()).isEqualTo("exit 1");
    assertThat(events.get(1).get("host").asText()).as("where it failed").isEqualTo("host-a");
  }

  @Test
  void writesWithoutAnOriginPostNothingAndADeleteTerminatesTheApp() {
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    assertThat(summary(published())).doesNotContain("api_post_event");

    h.await(h.scheduler.deleteApp("/a", false, new RequestOrigin("10.0.0.7", "/v2/apps/a")));
    h.status(taskId, TaskState.TASK_KILLED);

    List<JsonNode> events = published();
    assertThat(summary(events)).containsExactly("api_post_event", "app_terminated_event", "deployment_info",
        "status_update_event:TASK_KILLED", "instance_changed_event:Killed", "deployment_step_success",
        "deployment_success");
    assertThat(events.get(0).get("uri").asText()).isEqualTo("/v2/apps/a");
    assertThat(events.get(1).get("appId").asText()).isEqualTo("/a");
  }

  @Test
  void aRefusedWriteIsNotAnnounced() {
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    published();
    var refused = h.scheduler.createApp(Harness.object("{\"id\": \"/a\", \"cmd\": \"x\"}"), ORIGIN);
    h.loop.runPending();
    assertThat(refused).failsWithin(java.time.Duration.ofSeconds(5));
    assertThat(published()).isEmpty();
  }
}

package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ListingFilterTest {
  private static final Predicate<String> UNDER_A = id -> id.equals("/a") || id.startsWith("/a/");

  private static JsonNode filtered(String path, String body) throws Exception {
    return Json.mapper().readTree(ListingFilter.filter(path, body, UNDER_A));
  }

  @Test
  void appsTasksPodsAndTheQueueShowOnlyReadableIds() throws Exception {
    assertThat(filtered("/v2/apps", "{\"apps\": [{\"id\": \"/a/web\"}, {\"id\": \"/b/web\"}]}")
        .path("apps").findValuesAsText("id")).containsExactly("/a/web");
    assertThat(filtered("/v2/tasks/", "{\"tasks\": [{\"appId\": \"/b/x\"}, {\"appId\": \"/a/x\"}]}")
        .path("tasks").findValuesAsText("appId")).containsExactly("/a/x");
    assertThat(filtered("/v2/pods", "[{\"id\": \"/a/db\"}, {\"id\": \"/b/db\"}]").findValuesAsText("id"))
        .containsExactly("/a/db");
    assertThat(filtered("/v2/pods/::status", "[{\"id\": \"/b/db\"}, {\"id\": \"/a/db\"}]").findValuesAsText("id"))
        .containsExactly("/a/db");
    JsonNode queue = filtered("/v2/queue", "{\"queue\": [{\"app\": {\"id\": \"/b/web\"}, \"count\": 1},"
        + " {\"pod\": {\"id\": \"/a/db\"}, \"count\": 2}]}").path("queue");
    assertThat(queue).hasSize(1);
    assertThat(queue.get(0).path("pod").path("id").asText()).isEqualTo("/a/db");
  }

  @Test
  void deploymentsShowWhenTheyTouchAReadableAppTrimmedToIt() throws Exception {
    JsonNode d = filtered("/v2/deployments", """
        [{"id": "d1", "affectedApps": ["/a/web", "/b/web"], "affectedPods": [],
          "steps": [{"actions": [{"action": "StartApplication", "app": "/a/web"}]},
                    {"actions": [{"action": "StartApplication", "app": "/b/web"}]}],
          "currentActions": [{"action": "StartApplication", "app": "/b/web"}], "currentStep": 2, "totalSteps": 2},
         {"id": "d2", "affectedApps": ["/b/x"], "affectedPods": [], "steps": [], "currentActions": []}]
        """);
    assertThat(d).hasSize(1);
    assertThat(d.get(0).path("id").asText()).isEqualTo("d1");
    assertThat(d.get(0).path("affectedApps").toString()).isEqualTo("[\"/a/web\"]");
    assertThat(d.get(0).path("steps")).hasSize(2);
    assertThat(d.get(0).path("steps").get(1).path("actions")).isEmpty();
    assertThat(d.get(0).path("currentActions")).isEmpty();
    assertThat(d.get(0).path("totalSteps").asInt()).isEqualTo(2);
  }

  @Test
  void theTextTaskListKeepsTheLinesOfReadableApps() throws Exception {
    String text = "a_web_10000\t10000\th1:31000\nb_web_10001\t10001\th2:31001\na_deep_x_10002\t10002\n";
    assertThat(ListingFilter.filter("/v2/tasks", text, UNDER_A))
        .isEqualTo("a_web_10000\t10000\th1:31000\na_deep_x_10002\t10002\n");
  }

  @Test
  void otherPathsAreLeftAlone() throws Exception {
    assertThat(ListingFilter.filter("/v2/apps/a/web", "{\"app\": {}}", UNDER_A)).isNull();
    assertThat(ListingFilter.filter("/v2/info", "{}", UNDER_A)).isNull();
    assertThat(ListingFilter.narrows("/v2/apps/")).isTrue();
    assertThat(ListingFilter.narrows("/v2/events")).as("a stream: narrowed as it goes").isFalse();
  }
}

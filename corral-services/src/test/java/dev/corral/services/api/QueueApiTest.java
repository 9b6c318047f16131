package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /v2/queue with and without lastUnusedOffers, and DELETE /v2/queue/{id}/delay, over HTTP. */
class QueueApiTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  /** /big waits: the one offer it saw lacked memory. */
  private void bigAppRejectedOnce() {
    assertThat(api.post("/v2/apps", "{\"id\": \"/big\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 4096}").status())
        .isEqualTo(201);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/info").json().path("frameworkId").asText().equals("fw-1"));
    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(4).mem(1024).disk(100)
        .ports(31000, 31010).attribute("rack", "r1").build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> entry(api.get("/v2/queue").json())
        .path("processedOffersSummary").path("processedOffersCount").asInt() == 1);
  }

  private static JsonNode entry(JsonNode queue) {
    return queue.path("queue").path(0);
  }

  @Test
  void lastUnusedOffersAreShownOnlyWhenEmbedded() throws Exception {
    bigAppRejectedOnce();

    assertThat(entry(api.get("/v2/queue").json()).has("lastUnusedOffers")).isFalse();
    JsonNode entry = entry(api.get("/v2/queue?embed=lastUnusedOffers").json());
    JsonNode unused = entry.get("lastUnusedOffers");
    assertThat(unused).hasSize(1);
    JsonNode offer = unused.get(0).get("offer");
    assertThat(offer).isEqualTo(Json.mapper().readTree("""
        {"id": "o1", "agentId": "agent-host-a", "hostname": "host-a",
         "resources": [
           {"name": "cpus", "role": "*", "scalar": 4.0},
           {"name": "mem", "role": "*", "scalar": 1024.0},
           {"name": "disk", "role": "*", "scalar": 100.0},
           {"name": "ports", "role": "*", "ranges": [{"begin": 31000, "end": 31010}]}],
         "attributes": [{"name": "rack", "text": "r1"}]}"""));
    assertThat(unused.get(0).get("reason")).containsExactly(Json.mapper().getNodeFactory().textNode("InsufficientMemory"));
    assertThat(unused.get(0).get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(entry.get("waitingReason").asText()).contains("needs mem 4096 MB");
  }

  @Test
  void theFunnelsFollowMarathonsOrderAndCounts() {
    bigAppRejectedOnce();

    JsonNode summary = entry(api.get("/v2/queue").json()).get("processedOffersSummary");
    assertThat(summary.get("processedOffersCount").asInt()).isEqualTo(1);
    assertThat(summary.get("unusedOffersCount").asInt()).isEqualTo(1);
    assertThat(summary.has("lastUnusedOfferAt")).isTrue();
    assertThat(summary.has("lastUsedOfferAt")).isFalse();
    for (String funnel : List.of("rejectSummaryLastOffers", "rejectSummaryLaunchAttempt")) {
      List<String> rows = new ArrayList<>();
      summary.get(funnel).forEach(r -> rows.add(r.get("reason").asText() + " " + r.get("declined").asInt() + "/"
          + r.get("processed").asInt()));
      assertThat(rows).as(funnel).containsExactly("UnfulfilledRole 0/1", "UnfulfilledConstraint 0/1",
          "NoCorrespondingReservationFound 0/1", "AgentMaintenance 0/1", "InsufficientCpus 0/1",
          "InsufficientMemory 1/1", "InsufficientDisk 0/0", "InsufficientGpus 0/0", "InsufficientPorts 0/0",
          "DeclinedScarceResources 0/0");
    }
  }

  @Test
  void deletingTheDelayAnswers204AndUnknownAppsAnswer404() {
    bigAppRejectedOnce();

    ApiFixture.Response reset = api.delete("/v2/queue/big/delay");
    assertThat(reset.status()).isEqualTo(204);
    assertThat(reset.raw()).isEmpty();

    ApiFixture.Response unknown = api.delete("/v2/queue/nope/delay");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("message").asText()).isEqualTo("Application /nope not found in tasks queue.");
    assertThat(api.delete("/v2/queue/big").status()).isEqualTo(404);
  }

  @Test
  void theDelayCanOnlyBeDeleted() {
    bigAppRejectedOnce();
    for (ApiFixture.Response r : List.of(api.post("/v2/queue/big/delay", ""), api.get("/v2/queue/big/delay"),
        api.put("/v2/queue/big/delay", "{}"))) {
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("DELETE");
    }
  }
}

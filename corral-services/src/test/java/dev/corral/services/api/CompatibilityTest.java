package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.TaskInfo;
import dev.corral.common.Json;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real-world corpus in ../shared/compat (resolved from the module directory): every Marathon app
 * definition there is accepted, and our responses carry every key of Marathon's documented examples. Skipped,
 * with the reason shown, where the corpus is absent (a user's clone).
 */
class CompatibilityTest {
  private static final Path CORPUS = Path.of("..", "..", "shared", "compat", "marathon").toAbsolutePath().normalize();

  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  private static void assumeCorpus() {
    assumeTrue(Files.isDirectory(CORPUS), "the compatibility corpus is not at " + CORPUS + " (only CI has it)");
  }

  private static JsonNode read(String relative) throws IOException {
    return Json.mapper().readTree(CORPUS.resolve(relative).toFile());
  }

  @Test
  void everyMarathonAppDefinitionInTheCorpusIsAccepted() throws IOException {
    assumeCorpus();
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS.resolve("apps"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    List<String> launchable = new ArrayList<>();
    for (Path file : files) {
      String body = Files.readString(file);
      ApiFixture.Response r = api.post("/v2/apps", body);
      assertThat(r.status()).as(file.getFileName() + ": " + r.raw()).isEqualTo(201);
      String id = r.json().get("id").asText();
      JsonNode app = api.get("/v2/apps" + id).json().get("app");
      JsonNode original = Json.mapper().readTree(body);
      // What Corral does not act on is stored and returned unchanged; networking from before Marathon 1.5
      // comes back migrated, as Marathon 1.5 shows it.
      boolean oldNetworking = original.has("ipAddress") || original.path("container").path("docker").has("network");
      for (String field : List.of("container", "fetch", "labels", "secrets", "residency", "upgradeStrategy")) {
        if (original.has(field) && !(oldNetworking && field.equals("container"))) {
          assertThat(app.get(field)).as(file.getFileName() + " " + field).isEqualTo(original.get(field));
        }
      }
      if (oldNetworking) {
        assertThat(app.has("ipAddress")).as(file.getFileName() + " ipAddress").isFalse();
        assertThat(app.path("container").path("docker").has("network")).isFalse();
        assertThat(app.path("networks").size()).as(file.getFileName() + " networks").isEqualTo(1);
        JsonNode mappings = original.path("container").path("docker").path("portMappings");
        assertThat(app.path("container").path("portMappings")).as(file.getFileName() + " portMappings")
            .hasSize(mappings.size() > 0 ? mappings.size() : original.at("/ipAddress/discovery/ports").size());
        assertThat(app.at("/container/docker/image")).isEqualTo(original.at("/container/docker/image"));
        assertThat(app.at("/container/volumes")).isEqualTo(original.at("/container/volumes"));
      }
      // Checks come back as given, with Marathon's defaults added for what was left out.
      for (String field : List.of("healthChecks", "readinessChecks")) {
        for (int i = 0; i < original.path(field).size(); i++) {
          JsonNode given = original.get(field).get(i);
          JsonNode shown = app.get(field).get(i);
          given.fieldNames().forEachRemaining(k -> assertThat(shown.get(k))
              .as(file.getFileName() + " " + field + "/" + k).isEqualTo(given.get(k)));
          assertThat(shown.has("intervalSeconds")).isTrue();
        }
      }
      if (!app.has("waiting") || !app.get("waiting").get("reason").asText().contains("not supported")) {
        launchable.add(file.getFileName().toString());
      }
      assertThat(api.delete("/v2/apps" + id + "?force=true").status()).isEqualTo(200);
    }
    // Plain commands run as they are; the rest waits with a reason (see the README).
    assertThat(launchable).contains("sleep-app.json", "http-server.json", "mesos-app.json", "large-sleep.json",
        "example-PythonSimpleHTTPServer.json", "example-labels.json",
        // old Docker networking, migrated; pinger-bridge-app also mounts a host volume
        "docker-http-server.json", "docker-nginx-ssl.json", "example-Tomcat-Docker.json", "example-bridge.json",
        "pinger-bridge-app.json", "pinger-container-app.json",
        // registry credentials from a secret
        "private-ucr-docker-app.json",
        // persistent local volumes: resident apps
        "persistent-volume-app.json", "resident-docker-app.json");
    assertThat(launchable).doesNotContain("external-volume-mesos-app.json");
  }

  @Test
  void everyMarathonPodDefinitionInTheCorpusIsAccepted() throws IOException {
    assumeCorpus();
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS.resolve("pods"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
    assertThat(files).isNotEmpty();
    files.add(CORPUS.resolve("api-examples/pod.json"));
    for (Path file : files) {
      String body = Files.readString(file);
      JsonNode original = Json.mapper().readTree(body);
      ApiFixture.Response r = api.post("/v2/pods", body);
      assertThat(r.status()).as(file.getFileName() + ": " + r.raw()).isEqualTo(201);
      assertThat(r.header("Marathon-Deployment-Id")).as(file.getFileName().toString()).isNotNull();
      String id = r.json().get("id").asText();
      JsonNode pod = api.get("/v2/pods" + id).json();
      // What was given comes back unchanged (defaults are added beside it).
      for (String field : List.of("containers", "labels", "environment", "volumes", "secrets", "user")) {
        if (original.has(field)) {
          assertThat(pod.get(field)).as(file.getFileName() + " " + field).isEqualTo(original.get(field));
        }
      }
      assertThat(pod.get("scaling").get("instances").asInt())
          .isEqualTo(original.path("scaling").path("instances").asInt(1));
      assertThat(pod.has("version")).isTrue();
      JsonNode status = api.get("/v2/pods" + id + "::status").json();
      assertThat(status.get("id").asText()).isEqualTo(id);
      assertThat(status.get("spec").get("id").asText()).isEqualTo(id);
      assertThat(api.get("/v2/pods" + id + "::versions").json()).hasSize(1);
      assertThat(api.post("/v2/pods", body).status()).as("already there").isEqualTo(409);
      assertThat(api.get("/v2/apps" + id).status()).as("a pod is no app").isEqualTo(404);
      assertThat(api.delete("/v2/pods" + id + "?force=true").status()).isEqualTo(202);
      assertThat(api.get("/v2/pods" + id).status()).isEqualTo(404);
    }
  }

  @Test
  void aGroupCarriesItsPods() throws IOException {
    assumeCorpus();
    com.fasterxml.jackson.databind.node.ObjectNode pod = (com.fasterxml.jackson.databind.node.ObjectNode) read("pods/simple-pod.json");
    pod.put("id", "web");
    String group = "{\"id\": \"/shop\", \"apps\": [{\"id\": \"db\", \"cmd\": \"sleep 60\", \"cpus\": 0.1, \"mem\": 16}],"
        + " \"pods\": [" + pod + "]}";
    ApiFixture.Response r = api.post("/v2/groups", group);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    JsonNode shown = api.get("/v2/groups/shop").json();
    assertThat(shown.get("pods").get(0).get("id").asText()).isEqualTo("/shop/web");
    assertThat(shown.get("apps")).hasSize(1);
    assertThat(api.get("/v2/pods/shop/web").status()).isEqualTo(200);
    JsonNode deployment = api.get("/v2/deployments").json().get(0);
    assertThat(deployment.get("affectedPods").get(0).asText()).isEqualTo("/shop/web");
    assertThat(deployment.get("affectedApps").get(0).asText()).isEqualTo("/shop/db");
    // a pod that is invalid in a group is refused with its path in the body
    ApiFixture.Response bad = api.put("/v2/groups/shop?force=true",
        "{\"pods\": [{\"id\": \"web\", \"containers\": []}]}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.raw()).contains("/pods/0/containers");
    assertThat(api.delete("/v2/groups/shop?force=true").status()).isEqualTo(200);
    assertThat(api.get("/v2/pods/shop/web").status()).isEqualTo(404);
  }

  @Test
  void everyMarathonGroupInTheCorpusIsAcceptedAndReadBackWithAllItsApps() throws IOException {
    assumeCorpus();
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS.resolve("groups"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      JsonNode definition = Json.mapper().readTree(file.toFile());
      ApiFixture.Response r = api.post("/v2/groups", definition.toString());
      assertThat(r.status()).as(file.getFileName() + ": " + r.raw()).isEqualTo(201);
      assertThat(r.json().has("deploymentId")).isTrue();
      String id = definition.get("id").asText();
      JsonNode group = api.get("/v2/groups" + id).json();
      assertThat(appIds(group)).as(file.getFileName().toString()).containsExactlyInAnyOrderElementsOf(appIds(definition));
      assertThat(api.post("/v2/groups", definition.toString()).status()).as("already there").isEqualTo(409);
      assertThat(api.delete("/v2/groups" + id + "?force=true").status()).isEqualTo(200);
      assertThat(api.get("/v2/groups" + id).status()).isEqualTo(404);
    }
    api.post("/v2/groups", read("groups/sleep-group.json").toString());
    JsonNode root = api.get("/v2/groups").json();
    JsonNode example = read("api-examples/group.json");
    assertThat(keys(root)).as("root group").containsAll(keys(example));
    assertThat(keys(root.get("groups").get(0))).as("nested group").containsAll(keys(example.get("groups").get(0)));
  }

  @Test
  void patchExamplesUpdateAppsPartially() throws IOException {
    assumeCorpus();
    api.post("/v2/apps", "{\"id\": \"/foo\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 16}");
    ApiFixture.Response patched = api.send("PATCH", "/v2/apps/foo?force=true", read("api-examples/app_patch.json").toString());
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertHasKeys(patched.json(), read("api-examples/deployments_result.json"), "patch result");
    assertThat(api.get("/v2/apps/foo").json().get("app").get("instances").asInt()).isEqualTo(2);
    assertThat(api.get("/v2/apps/foo").json().get("app").get("cmd").asText()).isEqualTo("sleep 1");

    api.post("/v2/apps", "{\"id\": \"/test/sleep60\", \"cmd\": \"sleep 60\", \"cpus\": 0.1, \"mem\": 16}");
    api.post("/v2/apps", "{\"id\": \"/test/sleep120\", \"cmd\": \"sleep 120\", \"cpus\": 0.1, \"mem\": 16}");
    ApiFixture.Response bulk = api.send("PATCH", "/v2/apps?force=true", read("api-examples/apps_patch.json").toString());
    assertThat(bulk.status()).as(bulk.raw()).isEqualTo(200);
    assertThat(api.get("/v2/apps/test/sleep60").json().get("app").get("cpus").asDouble()).isEqualTo(0.3);
    assertThat(api.get("/v2/apps/test/sleep120").json().get("app").get("instances").asInt()).isEqualTo(2);
    JsonNode deployments = api.get("/v2/deployments").json();
    String bulkId = bulk.json().get("deploymentId").asText();
    JsonNode one = null;
    for (JsonNode d : deployments) {
      one = d.get("id").asText().equals(bulkId) ? d : one;
    }
    assertThat(one).as("one deployment for the whole list").isNotNull();
    assertThat(one.get("affectedApps")).hasSize(2);
  }

  private static Set<String> appIds(JsonNode group) {
    Set<String> out = new HashSet<>();
    group.path("apps").forEach(a -> out.add(a.get("id").asText()));
    group.path("groups").forEach(g -> out.addAll(appIds(g)));
    return out;
  }

  @Test
  void responsesCarryTheKeysOfMarathonsExamples() throws IOException {
    assumeCorpus();
    api.post("/v2/apps", "{\"id\": \"/myapp\", \"cmd\": \"env && sleep 60\", \"cpus\": 0.1, \"mem\": 5,"
        + " \"instances\": 3, \"constraints\": [[\"hostname\", \"UNIQUE\"]]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/info").json().path("frameworkId").asText().equals("fw-1"));
    api.driver.scheduler().offers(List.of(Offers.big("o1", "srv4.example.com")));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 1);

    assertHasKeys(api.get("/v2/apps").json(), read("api-examples/app_list.json"), "app list");
    assertHasKeys(api.get("/v2/tasks").json(), read("api-examples/tasks.json"), "tasks");
    assertHasKeys(api.get("/v2/apps/myapp/tasks").json(), read("api-examples/app_tasks.json"), "app tasks");
    assertHasKeys(api.get("/v2/info").json(), read("api-examples/info.json"), "info");
    JsonNode deployments = api.get("/v2/deployments").json();
    assertThat(deployments).isNotEmpty();
    assertHasKeys(deployments.get(0), withoutReadiness(read("api-examples/deployments.json").get(0)), "deployments");
    ApiFixture.Response put = api.put("/v2/apps/myapp?force=true", "{\"instances\": 2}");
    assertHasKeys(put.json(), read("api-examples/deployments_result.json"), "deployment result");

    JsonNode queue = api.get("/v2/queue").json();
    assertThat(queue.get("queue")).hasSize(1);
    JsonNode example = read("api-examples/queue.json");
    Set<String> entryKeys = keys(example.get("queue").get(0));
    assertThat(keys(queue.get("queue").get(0))).as("queue entry").containsAll(entryKeys);
    assertThat(keys(queue.get("queue").get(0).get("processedOffersSummary"))).as("processedOffersSummary")
        .containsAll(List.of("processedOffersCount", "unusedOffersCount", "rejectSummaryLastOffers",
            "rejectSummaryLaunchAttempt"));

    // The example's second entry is embedded with lastUnusedOffers: an offer from the same host is one.
    api.driver.scheduler().offers(List.of(Offers.big("o2", "srv4.example.com")));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/queue?embed=lastUnusedOffers").json()
        .path("queue").path(0).path("lastUnusedOffers").size() == 1);
    JsonNode embedded = api.get("/v2/queue?embed=lastUnusedOffers").json().get("queue").get(0);
    JsonNode exampleEmbedded = example.get("queue").get(1);
    assertThat(keys(embedded)).as("queue entry with lastUnusedOffers").containsAll(keys(exampleEmbedded));
    assertThat(keys(embedded.get("processedOffersSummary"))).as("processedOffersSummary with both offers")
        .containsAll(keys(exampleEmbedded.get("processedOffersSummary")));
    JsonNode unused = embedded.get("lastUnusedOffers").get(0);
    JsonNode exampleUnused = exampleEmbedded.get("lastUnusedOffers").get(0);
    assertThat(keys(unused)).as("unused offer").containsAll(keys(exampleUnused));
    assertThat(keys(unused.get("offer"))).as("offer").containsAll(keys(exampleUnused.get("offer")));
    assertThat(keys(unused.get("offer").get("resources").get(0))).as("resource").contains("name", "role");
    assertThat(unused.get("reason").get(0).asText()).isEqualTo("UnfulfilledConstraint");
  }

  /** Every key path of {@code example} exists in {@code actual} (arrays: compared by their first element). */
  private static void assertHasKeys(JsonNode actual, JsonNode example, String what) {
    List<String> missing = new ArrayList<>();
    collectMissing(actual, example, "", missing);
    assertThat(missing).as(what + ": keys of the Marathon example missing from Corral's answer").isEmpty();
  }

  private static void collectMissing(JsonNode actual, JsonNode example, String at, List<String> missing) {
    if (example.isObject()) {
      example.fieldNames().forEachRemaining(k -> {
        if (actual == null || !actual.has(k)) {
          missing.add(at + "/" + k);
        } else if (SHAPE_CHECKED.contains(k)) {
          collectMissing(actual.get(k), example.get(k), at + "/" + k, missing);
        }
      });
    } else if (example.isArray() && example.size() > 0 && actual != null && actual.isArray() && actual.size() > 0) {
      collectMissing(actual.get(0), example.get(0), at + "/0", missing);
    }
  }

  /** Nested objects whose keys are compared too; the others (container, healthChecks, …) are user data. */
  private static final Set<String> SHAPE_CHECKED = new HashSet<>(List.of("apps", "tasks", "marathon_config",
      "zookeeper_config", "http_config", "versionInfo", "upgradeStrategy", "steps", "actions", "currentActions",
      "deployments"));

  private static JsonNode withoutReadiness(JsonNode deployment) {
    JsonNode copy = deployment.deepCopy();
    copy.get("currentActions").forEach(a -> ((com.fasterxml.jackson.databind.node.ObjectNode) a)
        .remove("readinessCheckResults"));
    return copy;
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> out = new HashSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static List<String> taskIds(ApiFixture api) {
    return api.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();
  }
}

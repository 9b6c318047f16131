package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node maintenance on a real cluster (a master and three agents as separate processes): `corral node drain`
 * moves an app's instances off the node without ever dropping below its health floor and leaves the node
 * DRAINED, which `node list` shows, and moves a pod's instance as a whole; the drained node is not offered until `node reactivate`; a maintenance
 * window makes the launch queue say AgentMaintenance; bad operator input is a 400 naming the field; quota and
 * weights are set, listed and validated through the CLI and the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainIT {
  private static final Duration WAIT = Duration.ofSeconds(150);
  private static final int AGENTS = 3;
  private static final String APP = "/ops/web";
  private static final String DEFINITION = """
      {"id": "/ops/web", "instances": 4, "cpus": 0.1, "mem": 48,
       "cmd": "exec python3 -m http.server --bind 127.0.0.1 $PORT0",
       "upgradeStrategy": {"minimumHealthCapacity": 1.0, "maximumOverCapacity": 0.5},
       "healthChecks": [{"protocol": "HTTP", "portIndex": 0, "path": "/", "gracePeriodSeconds": 5,
                         "intervalSeconds": 1, "timeoutSeconds": 1, "delaySeconds": 0,
                         "maxConsecutiveFailures": 3}]}
      """;

  @TempDir
  static Path dir;
  static Cluster cluster;
  static Marathon api;
  static String url;
  /** The node drained by the first test, by hostname and id. */
  static String drainedHost;
  static String drainedId;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir, AGENTS, i -> "agent-" + i, "cpus:1;mem:512;disk:512");
    api = cluster.api;
    url = "http://127.0.0.1:" + cluster.httpPort;
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void drainMovesInstancesElsewhereNeverBelowTheFloorAndTheNodeEndsDrained() throws Exception {
    assertThat(api.post("/v2/apps", DEFINITION).status()).isEqualTo(201);
    awaitHealthy(4);
    Map<String, Integer> byHost = new HashMap<>();
    for (JsonNode t : api.tasks(APP, "TASK_RUNNING")) {
      byHost.merge(t.path("host").asText(), 1, Integer::sum);
    }
    drainedHost = byHost.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    drainedId = agent(a -> a.path("hostname").asText().equals(drainedHost)).path("id").asText();

    CorralProcess.Result drain = CorralProcess.run(dir, "node", "drain", drainedId, "--grace", "5m", "--url", url);
    assertThat(drain.exitCode()).as(drain.output()).isZero();
    assertThat(drain.output()).contains("Node " + drainedId + " (" + drainedHost + ") is draining");

    List<Integer> samples = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      samples.add(healthy());
      List<JsonNode> tasks = api.tasks(APP, null);
      boolean off = tasks.stream().noneMatch(t -> t.path("host").asText().equals(drainedHost));
      if (off && tasks.size() == 4 && healthy() == 4
          && agent(a -> a.path("id").asText().equals(drainedId)).path("maintenance").asText().equals("DRAINED")) {
        break;
      }
      assertThat(System.nanoTime()).as("drain finished within %s; tasks %s", WAIT, tasks).isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(samples).as("healthy tasks in every sample during the drain").allMatch(n -> n >= 4);
    assertThat(api.tasks(APP, "TASK_RUNNING")).hasSize(4)
        .noneMatch(t -> t.path("host").asText().equals(drainedHost));

    CorralProcess.Result list = CorralProcess.run(dir, "node", "list", "--url", url);
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output()).containsPattern(drainedId + "\\s+" + drainedHost + "\\s+drained\\s");
    assertThat(list.output().lines().filter(l -> l.contains(" active ")).count()).isEqualTo(AGENTS - 1);
  }

  @Test
  @Order(2)
  void aDrainedNodeIsNotOfferedUntilReactivated() throws Exception {
    assertThat(api.post("/v2/apps", """
        {"id": "/ops/pinned", "instances": 1, "cpus": 0.1, "mem": 16, "cmd": "sleep 100000",
         "constraints": [["hostname", "CLUSTER", "%s"]]}""".formatted(drainedHost)).status()).isEqualTo(201);
    Thread.sleep(3_000);
    assertThat(api.tasks("/ops/pinned", null)).as("nothing placed on the drained node").isEmpty();

    CorralProcess.Result up = CorralProcess.run(dir, "node", "reactivate", drainedId, "--url", url);
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("is active");
    List<JsonNode> tasks = api.awaitTasks("/ops/pinned", Marathon.running(1), WAIT);
    assertThat(tasks).singleElement().satisfies(t -> assertThat(t.path("host").asText()).isEqualTo(drainedHost));
    assertThat(api.delete("/v2/apps/ops/pinned?force=true").status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aMaintenanceWindowKeepsNewWorkOffTheMachineWithReasonAgentMaintenance() throws Exception {
    String host = "agent-3".equals(drainedHost) ? "agent-2" : "agent-3";
    long now = System.currentTimeMillis();
    Marathon.Response set = api.post("/master/maintenance/schedule", """
        {"windows": [{"machine_ids": [{"hostname": "%s"}],
                      "unavailability": {"start": {"nanoseconds": %d}, "duration": {"nanoseconds": %d}}}]}
        """.formatted(host, (now - 1000) * 1_000_000L, 3_600_000_000_000L));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(api.get("/master/maintenance/schedule").json().path("windows").get(0).path("machine_ids").get(0)
        .path("hostname").asText()).isEqualTo(host);

    assertThat(api.post("/v2/apps", """
        {"id": "/ops/maint", "instances": 1, "cpus": 0.1, "mem": 16, "cmd": "sleep 100000",
         "constraints": [["hostname", "CLUSTER", "%s"]]}""".formatted(host)).status()).isEqualTo(201);
    JsonNode entry = awaitQueueEntry("/ops/maint", e -> declined(e, "AgentMaintenance") > 0);
    assertThat(entry.path("count").asInt()).isEqualTo(1);
    assertThat(api.tasks("/ops/maint", null)).isEmpty();

    // The window is lifted: the app runs there.
    assertThat(api.post("/master/maintenance/schedule", "{\"windows\": []}").status()).isEqualTo(200);
    assertThat(api.awaitTasks("/ops/maint", Marathon.running(1), WAIT)).singleElement()
        .satisfies(t -> assertThat(t.path("host").asText()).isEqualTo(host));
    assertThat(api.delete("/v2/apps/ops/maint?force=true").status()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void badOperatorInputIsA4xxNamingTheField() throws Exception {
    Marathon.Response noMachines = api.post("/master/maintenance/schedule", """
        {"windows": [{"machine_ids": [{"hostname": "a"}, {}], "unavailability": {"start": {"nanoseconds": 1}}}]}""");
    assertThat(noMachines.status()).isEqualTo(400);
    assertThat(noMachines.json().path("message").asText()).startsWith("windows[0].machine_ids[1]: ");
    Marathon.Response noStart = api.post("/master/maintenance/schedule", """
        {"windows": [{"machine_ids": [{"hostname": "a"}], "unavailability": {"start": {"nanoseconds": "x"}}}]}""");
    assertThat(noStart.status()).isEqualTo(400);
    assertThat(noStart.json().path("message").asText()).startsWith("windows[0].unavailability.start.nanoseconds: ");
    Marathon.Response grace = api.post("/master/agents/" + drainedId + "/drain", "{\"gracePeriodSeconds\": -1}");
    assertThat(grace.status()).isEqualTo(400);
    assertThat(grace.json().path("message").asText()).startsWith("gracePeriodSeconds: ");
    Marathon.Response unknown = api.post("/master/agents/no-such-agent/deactivate", "{}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("message").asText()).contains("no-such-agent");
  }

  @Test
  @Order(5)
  void quotaAndWeightsAreSetListedAndValidated() throws Exception {
    CorralProcess.Result set = CorralProcess.run(dir, "quota", "set", "ads", "--guarantee", "cpus:0.5,mem:128",
        "--limit", "cpus:1", "--url", url);
    assertThat(set.exitCode()).as(set.output()).isZero();
    assertThat(set.output()).contains("Role ads: guarantee cpus:0.50,mem:128, limit cpus:1");
    CorralProcess.Result weight = CorralProcess.run(dir, "role", "weight", "ads", "2", "--url", url);
    assertThat(weight.exitCode()).as(weight.output()).isZero();
    CorralProcess.Result roles = CorralProcess.run(dir, "role", "list", "--url", url);
    assertThat(roles.output()).containsPattern("ads\\s+2\\s+0\\s+-\\s+cpus:0.50,mem:128\\s+cpus:1");
    assertThat(api.get("/master/quota").json().path("infos").get(0).path("limit").path("cpus").asDouble()).isEqualTo(1);

    Marathon.Response unknownKind = api.post("/master/quota", "{\"role\": \"ads\", \"limit\": {\"bananas\": 1}}");
    assertThat(unknownKind.status()).isEqualTo(400);
    assertThat(unknownKind.json().path("message").asText()).startsWith("limit.bananas: ");
    Marathon.Response above = api.post("/master/quota", """
        {"role": "ads", "guarantee": {"cpus": 2}, "limit": {"cpus": 1}}""");
    assertThat(above.status()).isEqualTo(400);
    assertThat(above.json().path("message").asText()).startsWith("guarantee.cpus: ");
    CorralProcess.Result removed = CorralProcess.run(dir, "quota", "remove", "ads", "--url", url);
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    assertThat(api.get("/master/quota").json().path("infos")).isEmpty();
  }

  @Test
  @Order(6)
  void dynamicReservationsThroughTheOperatorApi() throws Exception {
    String body = """
        {"agentId": "%s", "resources": [{"name": "cpus", "role": "ads", "scalar": 0.25}]}""".formatted(drainedId);
    Marathon.Response reserved = api.post("/master/reserve", body);
    assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
    assertThat(reserved.json().path("reserved_resources").path("ads").path("cpus").asDouble()).isEqualTo(0.25);
    assertThat(agent(a -> a.path("id").asText().equals(drainedId)).path("reserved_resources").path("ads")
        .path("cpus").asDouble()).isEqualTo(0.25);
    Marathon.Response tooMuch = api.post("/master/reserve", """
        {"agentId": "%s", "resources": [{"name": "cpus", "role": "ads", "scalar": 99}]}""".formatted(drainedId));
    assertThat(tooMuch.status()).isEqualTo(409);
    Marathon.Response noRole = api.post("/master/reserve", """
        {"agentId": "%s", "resources": [{"name": "cpus", "scalar": 1}]}""".formatted(drainedId));
    assertThat(noRole.status()).isEqualTo(400);
    assertThat(noRole.json().path("message").asText()).startsWith("resources[0].role: ");
    Marathon.Response back = api.post("/master/unreserve", body);
    assertThat(back.status()).as(back.body()).isEqualTo(200);
    assertThat(back.json().path("reserved_resources").size()).isZero();
  }

  @Test
  @Order(7)
  void drainMovesAPodInstanceAsAWhole() throws Exception {
    assertThat(api.post("/v2/pods", """
        {"id": "/ops/duo", "scaling": {"kind": "fixed", "instances": 1},
         "containers": [
           {"name": "a", "resources": {"cpus": 0.05, "mem": 16}, "exec": {"command": {"shell": "sleep 100000"}}},
           {"name": "b", "resources": {"cpus": 0.05, "mem": 16}, "exec": {"command": {"shell": "sleep 100000"}}}],
         "networks": [{"mode": "host"}]}""").status()).isEqualTo(201);
    JsonNode before = awaitPodInstance(i -> i.path("status").asText().equals("STABLE"));
    String host = before.path("agentHostname").asText();
    String agentId = agent(a -> a.path("hostname").asText().equals(host)).path("id").asText();

    CorralProcess.Result drain = CorralProcess.run(dir, "node", "drain", agentId, "--grace", "5m", "--url", url);
    assertThat(drain.exitCode()).as(drain.output()).isZero();

    // the instance starts elsewhere, the one on the draining node goes, and the node ends drained
    JsonNode after = awaitPodInstance(i -> i.path("status").asText().equals("STABLE")
        && !i.path("agentHostname").asText().equals(host));
    assertThat(after.path("id").asText()).isNotEqualTo(before.path("id").asText());
    assertThat(after.path("containers")).hasSize(2);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!agent(a -> a.path("id").asText().equals(agentId)).path("maintenance").asText().equals("DRAINED")
        || api.get("/v2/pods/ops/duo::status").json().path("instances").size() != 1) {
      assertThat(System.nanoTime()).as("node %s drained with one pod instance left", host).isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(CorralProcess.run(dir, "node", "reactivate", agentId, "--url", url).exitCode()).isZero();
    assertThat(api.delete("/v2/pods/ops/duo?force=true").status()).isEqualTo(202);
  }

  /** The pod's only instance once it matches. */
  private static JsonNode awaitPodInstance(Predicate<JsonNode> ok) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode status = api.get("/v2/pods/ops/duo::status").json();
      for (JsonNode i : status.path("instances")) {
        if (ok.test(i)) {
          return i;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching pod instance within " + WAIT + "; status: " + status);
      }
      Thread.sleep(200);
    }
  }

  private static JsonNode agent(Predicate<JsonNode> which) throws Exception {
    for (JsonNode a : api.get("/master/slaves").json().path("slaves")) {
      if (which.test(a)) {
        return a;
      }
    }
    throw new AssertionError("no such agent in " + api.get("/master/slaves").body());
  }

  private static int healthy() throws Exception {
    return api.get("/v2/apps" + APP).json().path("app").path("tasksHealthy").asInt();
  }

  private static void awaitHealthy(int n) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (healthy() != n || api.tasks(APP, "TASK_RUNNING").size() != n) {
      assertThat(System.nanoTime()).as("%d healthy within %s", n, WAIT).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static long declined(JsonNode entry, String reason) {
    for (JsonNode row : entry.path("processedOffersSummary").path("rejectSummaryLastOffers")) {
      if (row.path("reason").asText().equals(reason)) {
        return row.path("declined").asLong();
      }
    }
    return 0;
  }

  private static JsonNode awaitQueueEntry(String appId, Predicate<JsonNode> ok) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode queue = api.get("/v2/queue").json();
      for (JsonNode e : queue.path("queue")) {
        if (e.path("app").path("id").asText().equals(appId) && ok.test(e)) {
          return e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the queue entry of " + appId + " never matched within " + WAIT + "; queue: " + queue);
      }
      Thread.sleep(200);
    }
  }
}

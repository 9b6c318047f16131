package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper quorum loss and recovery with three masters, each running one member of the ensemble: two
 * masters are frozen (SIGSTOP, their ZooKeeper members with them). The one left cannot reach a quorum, so
 * it stops leading at once: its API answers 503 saying why and takes no write, nothing is launched or
 * killed, and the tasks run on untouched on the agents. When the two resume, a leader is elected, the same
 * tasks (same ids, same processes) are reconciled, and writes work again.
 */
class QuorumLossIT {
  private static final Duration WAIT = HaMasters.WAIT;
  private static final String APP = "/quorum/sleeper";
  private static final String REFUSED_APP = "/quorum/refused";
  private static final int INSTANCES = 4;

  @TempDir
  static Path dir;
  static HaMasters ha;

  @BeforeAll
  static void start() throws Exception {
    // failover and quorum are what this test is about; authentication across masters is AuthHaIT's
    ha = HaMasters.start(dir, 3, "--no-auth");
    for (int i = 1; i <= 2; i++) {
      ha.startAgent("agent-" + i, "cpus:2;mem:1024;disk:512");
    }
  }

  @AfterAll
  static void stop() {
    if (ha != null) {
      ha.close();
    }
  }

  @Test
  void aMasterWithoutQuorumStopsLeadingAndTheTasksSurviveUntilTheQuorumReturns() throws Exception {
    int leader = ha.awaitLeader(-1);
    Marathon api = ha.apis.get(leader);
    assertThat(api.post("/v2/apps", """
        {"id": "%s", "instances": %d, "cmd": "sleep 100000", "cpus": 0.1, "mem": 16}
        """.formatted(APP, INSTANCES)).status()).isEqualTo(201);
    List<JsonNode> before = api.awaitTasks(APP, Marathon.running(INSTANCES), WAIT);
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> api.get("/v2/deployments").json().isEmpty());
    Map<String, Long> pids = pids(ids(before));
    Set<String> taskProcesses = sleepers();
    assertThat(taskProcesses.stream().map(p -> p.substring(p.indexOf('@') + 1)).collect(Collectors.toSet()))
        .as("task processes run in exactly the tasks' sandboxes").isEqualTo(pids.keySet());

    int a = (leader + 1) % 3;
    int b = (leader + 2) % 3;
    long t0 = System.nanoTime();
    ha.masters.get(a).signal("STOP");
    ha.masters.get(b).signal("STOP");
    double steppedDown;
    try {
      CorralProcess lone = ha.masters.get(leader);
      lone.awaitLog("is no longer the leading master", WAIT);
      steppedDown = (System.nanoTime() - t0) / 1e9;

      // No stale answers and no writes: every call is refused with 503 and the reason.
      Marathon.Response read = awaitStatus(api, "/v2/apps", 503);
      assertThat(read.json().path("message").asText()).contains("ZooKeeper");
      Marathon.Response write = api.post("/v2/apps", """
          {"id": "%s", "instances": 1, "cmd": "sleep 100000", "cpus": 0.1, "mem": 16}""".formatted(REFUSED_APP));
      assertThat(write.status()).as("a write without quorum: %s", write.body()).isEqualTo(503);
      Marathon.Response scale = api.put("/v2/apps" + APP, "{\"instances\": 1}");
      assertThat(scale.status()).as("a scale-down without quorum: %s", scale.body()).isEqualTo(503);
      assertThat(api.get("/v2/leader").status()).isEqualTo(503);

      // Meanwhile (longer than the agents' and ZooKeeper's timeouts) the tasks run on, and nothing is
      // launched or killed on the agents.
      long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
      while (System.nanoTime() < until) {
        assertThat(sleepers()).as("task processes during the outage").isEqualTo(taskProcesses);
        Thread.sleep(1_000);
      }
      assertThat(api.get("/v2/apps").status()).isEqualTo(503);
    } finally {
      ha.masters.get(a).signal("CONT");
      ha.masters.get(b).signal("CONT");
    }
    long t1 = System.nanoTime();
    int next = ha.awaitLeader(-1);
    double reelected = (System.nanoTime() - t1) / 1e9;
    Marathon now = ha.apis.get(next);
    List<JsonNode> after = now.awaitTasks(APP, Marathon.running(INSTANCES), WAIT);
    double reconciled = (System.nanoTime() - t1) / 1e9;
    assertThat(ids(after)).as("the same tasks").isEqualTo(pids.keySet());
    assertThat(pids(ids(after))).as("the same processes").isEqualTo(pids);
    assertThat(sleepers()).isEqualTo(taskProcesses);
    System.out.printf("quorum-loss: the lone leader stepped down %.1f s after two masters froze; after they"
        + " resumed a leader was agreed on in %.1f s and all %d tasks were RUNNING again in %.1f s%n",
        steppedDown, reelected, INSTANCES, reconciled);

    // Nothing of the refused writes happened.
    assertThat(now.get("/v2/apps" + REFUSED_APP).status()).isEqualTo(404);
    assertThat(now.get("/v2/apps" + APP).json().path("app").path("instances").asInt()).isEqualTo(INSTANCES);

    // Writes work again, through any master.
    int standby = (next + 1) % 3;
    assertThat(ha.apis.get(standby).put("/v2/apps" + APP, "{\"instances\": " + (INSTANCES + 1) + "}").status())
        .isEqualTo(200);
    List<JsonNode> scaled = now.awaitTasks(APP, Marathon.running(INSTANCES + 1), WAIT);
    assertThat(ids(scaled)).containsAll(pids.keySet()).hasSize(INSTANCES + 1);
    assertThat(pids(pids.keySet())).isEqualTo(pids);
  }

  /**
   * Retries while the master still answers otherwise (the leader's HTTP server makes way for the
   * standby's, so a connection may be refused for a moment); the last answer.
   */
  private static Marathon.Response awaitStatus(Marathon api, String path, int status) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Marathon.Response r = new Marathon.Response(0, "");
    while (r.status() != status && System.nanoTime() < deadline) {
      try {
        r = api.get(path);
      } catch (java.io.IOException e) {
        r = new Marathon.Response(0, e.toString());
      }
      if (r.status() != status) {
        Thread.sleep(200);
      }
    }
    assertThat(r.status()).as("%s: %s", path, r.body()).isEqualTo(status);
    return r;
  }

  private static Map<String, Long> pids(Set<String> taskIds) {
    Map<String, Long> out = new HashMap<>();
    for (String id : taskIds) {
      out.put(id, TaskProcesses.pidOf(dir, id, "sleep 100000"));
    }
    return out;
  }

  /** Every task process (pid@sandbox) under the test's agents. */
  private static Set<String> sleepers() {
    return TaskProcesses.under(dir).stream()
        .filter(p -> p.cmdline().contains("sleep 100000") && !p.cmdline().contains("monitor"))
        .map(p -> p.pid() + "@" + p.cwd().getFileName())
        .collect(Collectors.toSet());
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    Set<String> out = tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toCollection(HashSet::new));
    assertThat(out).as("no task id twice").hasSize(tasks.size());
    return out;
  }
}

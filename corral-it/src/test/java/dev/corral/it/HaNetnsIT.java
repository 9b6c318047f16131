package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@link HaIT} on five "machines" (network namespaces on a bridge, private addresses): three masters, each
 * with an embedded ZooKeeper member, on the standard ports of their own host, and two agents that follow
 * the leader through ZooKeeper. Killing the leading master's process leaves the tasks running; a standby
 * names the new leader and forwards a scale-up to it.
 */
class HaNetnsIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int MASTERS = 3;
  private static final int HTTP = 7070;
  private static final String APP = "/hanet/sleeper";

  @TempDir
  static Path dir;
  static NetnsHosts hosts;
  static final List<CorralProcess> masters = new ArrayList<>();
  static final List<Marathon> apis = new ArrayList<>();
  static final List<CorralProcess> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    hosts = NetnsHosts.create(MASTERS + 2);
    List<String> peers = new ArrayList<>();
    List<String> clients = new ArrayList<>();
    for (int i = 1; i <= MASTERS; i++) {
      peers.add(i + "=" + hosts.address(i) + ":2181:2888:3888");
      clients.add(hosts.address(i) + ":2181");
    }
    for (int i = 1; i <= MASTERS; i++) {
      apis.add(new Marathon(hosts.address(i), HTTP));
      masters.add(CorralProcess.startIn(hosts.netns(i), dir.resolve("master-" + i + ".log"), "master",
          "--work-dir", dir.resolve("master-" + i).toString(), "--bind", hosts.address(i),
          "--hostname", hosts.address(i), "--http-port", Integer.toString(HTTP), "--grpc-port", "5050",
          "--dns-port", "8053", "--zk-embedded-peers", String.join(",", peers), "--zk-peer-id", Integer.toString(i), "--no-auth"));
    }
    for (CorralProcess m : masters) {
      m.awaitLog("Corral master", WAIT);
    }
    awaitLeader(-1);
    String zk = "zk://" + String.join(",", clients) + "/corral";
    for (int a = 1; a <= 2; a++) {
      int host = MASTERS + a;
      CorralProcess agent = CorralProcess.startIn(hosts.netns(host), dir.resolve("agent-" + a + ".log"), "agent",
          "--master", zk, "--work-dir", dir.resolve("agent-" + a).toString(), "--hostname", hosts.address(host),
          "--attributes", "rack:r" + a, "--http-port", "5051", "--http-bind", hosts.address(host),
          "--resources", "cpus:2;mem:1024;disk:512;ports:[31000-31009]");
      agents.add(agent);
      agent.awaitLog("registered with the master", WAIT);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (Marathon api : apis) {
        try {
          if (api.get("/v2/leader").status() == 200) {
            api.delete("/v2/apps" + APP + "?force=true");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (api.get("/v2/tasks").json().path("tasks").size() > 0 && System.nanoTime() < deadline) {
              Thread.sleep(200);
            }
            break;
          }
        } catch (Exception e) {
          // dead master; try the next
        }
      }
    } finally {
      for (CorralProcess a : agents) {
        a.stop();
      }
      for (CorralProcess m : masters) {
        m.stop();
      }
      TaskProcesses.killAllUnder(dir);
      if (hosts != null) {
        hosts.close();
      }
    }
  }

  @Test
  void killingTheLeadingMastersMachineKeepsTasksAndMovesLeadership() throws Exception {
    int leader = awaitLeader(-1);
    int standby = (leader + 1) % MASTERS;
    String app = """
        {"id": "%s", "instances": 2, "cmd": "sleep 100000", "cpus": 0.1, "mem": 16,
         "constraints": [["rack", "GROUP_BY", "2"]]}
        """.formatted(APP);
    assertThat(apis.get(standby).post("/v2/apps", app).status()).isEqualTo(201);
    List<JsonNode> before = apis.get(standby).awaitTasks(APP, Marathon.running(2), WAIT);
    assertThat(before).extracting(t -> t.path("host").asText())
        .containsExactlyInAnyOrder(hosts.address(MASTERS + 1), hosts.address(MASTERS + 2));
    Map<String, Long> pids = new HashMap<>();
    for (JsonNode t : before) {
      pids.put(t.path("id").asText(), TaskProcesses.pidOf(dir, t.path("id").asText(), "sleep"));
    }

    masters.get(leader).signal("KILL");
    masters.get(leader).waitFor(WAIT);
    int next = awaitLeader(leader);
    int survivor = next == standby ? (leader + 2) % MASTERS : standby;
    assertThat(apis.get(survivor).get("/v2/leader").json().path("leader").asText())
        .isEqualTo(hosts.address(next + 1) + ":" + HTTP);

    List<JsonNode> after = apis.get(survivor).awaitTasks(APP, Marathon.running(2), WAIT);
    assertThat(ids(after)).isEqualTo(pids.keySet());
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      assertThat(TaskProcesses.pidOf(dir, e.getKey(), "sleep")).isEqualTo(e.getValue());
    }
    assertThat(apis.get(survivor).put("/v2/apps" + APP, "{\"instances\": 3}").status())
        .isEqualTo(200);
    List<JsonNode> scaled = apis.get(next).awaitTasks(APP, Marathon.running(3), WAIT);
    assertThat(ids(scaled)).containsAll(pids.keySet()).hasSize(3);
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    Set<String> out = tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toCollection(HashSet::new));
    assertThat(out).as("no task id twice").hasSize(tasks.size());
    return out;
  }

  /** Waits until every live master names the same leader, other than {@code not}; returns its index. */
  private static int awaitLeader(int not) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Set<String> named = new HashSet<>();
      boolean all = true;
      for (int i = 0; i < MASTERS; i++) {
        if (i == not) {
          continue;
        }
        try {
          Marathon.Response r = apis.get(i).get("/v2/leader");
          last = r.status() + " " + r.body();
          if (r.status() == 200) {
            named.add(r.json().path("leader").asText());
          } else {
            all = false;
          }
        } catch (java.io.IOException e) {
          all = false;
          last = e.toString();
        }
      }
      if (all && named.size() == 1) {
        String leader = named.iterator().next();
        for (int i = 0; i < MASTERS; i++) {
          if (i != not && leader.equals(hosts.address(i + 1) + ":" + HTTP)) {
            return i;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the masters never agreed on a leader; last answer: " + last);
  }
}

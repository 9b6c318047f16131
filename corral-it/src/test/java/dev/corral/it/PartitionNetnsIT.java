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
 * A network partition on six "machines" (network namespaces on a bridge, private addresses): three masters
 * with embedded ZooKeeper members and three agents. One agent's cable is cut (its veth on the bridge goes
 * down: connections go silent, the agent and its tasks keep running) for longer than the app's
 * {@code unreachableStrategy.inactiveAfterSeconds}: its instances are replaced on the other agents. When
 * the cable is plugged back in, the agent re-registers with its old tasks and those are killed, so exactly
 * the configured number of instances remains, in the API and in the agents' process tables.
 */
class PartitionNetnsIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int MASTERS = 3;
  private static final int AGENTS = 3;
  private static final int HTTP = 7070;
  private static final int INSTANCES = 6;
  private static final String APP = "/partition/sleeper";
  private static final String CMD = "sleep 100000";

  @TempDir
  static Path dir;
  static NetnsHosts hosts;
  static final List<CorralProcess> masters = new ArrayList<>();
  static final List<Marathon> apis = new ArrayList<>();
  static final List<CorralProcess> agents = new ArrayList<>();
  static int cutHost = -1;

  @BeforeAll
  static void start() throws Exception {
    hosts = NetnsHosts.create(MASTERS + AGENTS);
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
          "--dns-port", "8053", "--zk-embedded-peers", String.join(",", peers), "--zk-peer-id", Integer.toString(i),
          "--no-auth"));
    }
    for (CorralProcess m : masters) {
      m.awaitLog("Corral master", WAIT);
    }
    awaitLeader();
    String zk = "zk://" + String.join(",", clients) + "/corral";
    for (int a = 1; a <= AGENTS; a++) {
      int host = MASTERS + a;
      CorralProcess agent = CorralProcess.startIn(hosts.netns(host), dir.resolve("agent-" + a + ".log"), "agent",
          "--master", zk, "--work-dir", agentDir(a).toString(), "--hostname", hosts.address(host),
          "--http-port", "5051", "--http-bind", hosts.address(host),
          "--resources", "cpus:2;mem:1024;disk:512;ports:[31000-31009]");
      agents.add(agent);
      agent.awaitLog("registered with the master", WAIT);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cutHost > 0) {
        hosts.heal(cutHost);
      }
      for (Marathon api : apis) {
        try {
          if (api.get("/v2/leader").status() == 200) {
            api.delete("/v2/apps" + APP + "?force=true");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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
        a.close();
      }
      for (CorralProcess m : masters) {
        m.close();
      }
      TaskProcesses.killAllUnder(dir);
      if (hosts != null) {
        hosts.close();
      }
    }
  }

  @Test
  void aCutAgentsInstancesAreReplacedAndItsOldTasksKilledWhenItComesBack() throws Exception {
    Marathon api = apis.get(awaitLeader());
    assertThat(api.post("/v2/apps", """
        {"id": "%s", "instances": %d, "cmd": "%s", "cpus": 0.1, "mem": 16,
         "constraints": [["hostname", "MAX_PER", "3"]],
         "unreachableStrategy": {"inactiveAfterSeconds": 5, "expungeAfterSeconds": 3600}}
        """.formatted(APP, INSTANCES, CMD)).status()).isEqualTo(201);
    List<JsonNode> before = api.awaitTasks(APP, Marathon.running(INSTANCES), WAIT);
    assertThat(processIds()).as("the agents run exactly the API's tasks").isEqualTo(ids(before));

    // Cut the cable of an agent that runs some of them.
    String victimAddress = before.get(0).path("host").asText();
    int victim = 0;
    for (int a = 1; a <= AGENTS; a++) {
      if (hosts.address(MASTERS + a).equals(victimAddress)) {
        victim = a;
      }
    }
    assertThat(victim).as("the task's host is one of the agents").isPositive();
    Set<String> stranded = before.stream().filter(t -> t.path("host").asText().equals(victimAddress))
        .map(t -> t.path("id").asText()).collect(Collectors.toSet());
    Map<String, Long> strandedPids = new HashMap<>();
    for (String id : stranded) {
      strandedPids.put(id, TaskProcesses.pidOf(agentDir(victim), id, CMD));
    }
    Set<String> kept = new HashSet<>(ids(before));
    kept.removeAll(stranded);

    cutHost = MASTERS + victim;
    long t0 = System.nanoTime();
    hosts.cut(cutHost);
    List<JsonNode> replaced;
    try {
      // The other agents get replacements; the cut agent's tasks are UNREACHABLE, not forgotten.
      replaced = api.awaitTasks(APP, ts -> runningOffVictim(ts, victimAddress) == INSTANCES, WAIT);
      double replacedAfter = (System.nanoTime() - t0) / 1e9;
      System.out.printf("partition: %d instance(s) on the cut agent replaced elsewhere %.1f s after the cut"
          + " (agent timeout 9 s + inactiveAfterSeconds 5)%n", stranded.size(), replacedAfter);
      assertThat(ids(replaced)).containsAll(kept);
      // Meanwhile the cut agent's own processes run on: nothing reached it.
      for (Map.Entry<String, Long> e : strandedPids.entrySet()) {
        assertThat(TaskProcesses.alive(e.getValue())).as("stranded task %s still runs on the cut agent", e.getKey())
            .isTrue();
      }
    } finally {
      hosts.heal(cutHost);
    }
    long t1 = System.nanoTime();

    // Back together: the stranded tasks are killed, exactly INSTANCES remain, none twice.
    List<JsonNode> healed = api.awaitTasks(APP, ts -> Marathon.running(INSTANCES).test(ts)
        && ts.stream().noneMatch(t -> stranded.contains(t.path("id").asText())), WAIT);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (strandedPids.values().stream().anyMatch(TaskProcesses::alive)) {
      assertThat(System.nanoTime()).as("the stranded tasks' processes end after the heal").isLessThan(deadline);
      Thread.sleep(200);
    }
    System.out.printf("partition: after the heal the stranded tasks were killed and %d instances remained"
        + " within %.1f s%n", INSTANCES, (System.nanoTime() - t1) / 1e9);
    Thread.sleep(5_000); // let any late reconciliation show itself
    List<JsonNode> settled = api.awaitTasks(APP, Marathon.running(INSTANCES), WAIT);
    assertThat(ids(settled)).isEqualTo(ids(healed)).doesNotContainAnyElementsOf(stranded).containsAll(kept);
    assertThat(processIds()).as("the agents' process tables hold exactly the API's tasks")
        .isEqualTo(ids(settled));
    assertThat(api.get("/v2/apps" + APP).json().path("app").path("instances").asInt()).isEqualTo(INSTANCES);
  }

  private static long runningOffVictim(List<JsonNode> tasks, String victimAddress) {
    return tasks.stream().filter(t -> !t.path("host").asText().equals(victimAddress)
        && "TASK_RUNNING".equals(t.path("state").asText())).count();
  }

  /** Task ids (their sandboxes' names) of every task process on every agent; one agent's twice fails. */
  private static Set<String> processIds() {
    List<String> all = new ArrayList<>();
    for (int a = 1; a <= AGENTS; a++) {
      TaskProcesses.under(agentDir(a)).stream()
          .filter(p -> p.cmdline().contains(CMD) && !p.cmdline().contains("monitor"))
          .map(p -> p.cwd().getFileName().toString())
          .distinct()
          .forEach(all::add);
    }
    Set<String> out = new HashSet<>(all);
    assertThat(out).as("no task on two agents: %s", all).hasSize(all.size());
    return out;
  }

  private static Path agentDir(int a) {
    return dir.resolve("agent-" + a);
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    Set<String> out = tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toCollection(HashSet::new));
    assertThat(out).as("no task id twice").hasSize(tasks.size());
    return out;
  }

  /** Waits until every master names the same leader; returns its index. */
  private static int awaitLeader() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Set<String> named = new HashSet<>();
      boolean all = true;
      for (Marathon api : apis) {
        try {
          Marathon.Response r = api.get("/v2/leader");
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
          if (leader.equals(hosts.address(i + 1) + ":" + HTTP)) {
            return i;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the masters never agreed on a leader; last answer: " + last);
  }
}

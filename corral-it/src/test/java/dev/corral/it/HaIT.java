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
 * Three `corral master` processes, each running one member of an embedded ZooKeeper ensemble, and two
 * agents that find the leader through ZooKeeper. The leader is killed with SIGKILL: another master takes
 * over, the tasks keep running untouched (same ids, same processes), standbys forward the API to the new
 * leader, and a scale-up afterwards places exactly the new instances. The killed master then rejoins as a
 * standby, and the next leader, stopped cleanly, hands over to the third without touching tasks either;
 * last the leader hangs (SIGSTOP) and resumes, and steps down.
 */
class HaIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int MASTERS = 3;
  private static final String APP = "/ha/sleeper";

  @TempDir
  static Path dir;
  static final List<CorralProcess> masters = new ArrayList<>();
  static final List<Marathon> apis = new ArrayList<>();
  static final List<Integer> httpPorts = new ArrayList<>();
  static final List<CorralProcess> agents = new ArrayList<>();
  static String zk;
  static String peerList;
  static final List<Integer> grpcPorts = new ArrayList<>();
  static final List<Integer> dnsPorts = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    List<String> peers = new ArrayList<>();
    List<String> clients = new ArrayList<>();
    for (int i = 1; i <= MASTERS; i++) {
      int client = Ports.free();
      peers.add(i + "=127.0.0.1:" + client + ":" + Ports.free() + ":" + Ports.free());
      clients.add("127.0.0.1:" + client);
    }
    zk = "zk://" + String.join(",", clients) + "/corral";
    peerList = String.join(",", peers);
    for (int i = 1; i <= MASTERS; i++) {
      int http = Ports.free();
      httpPorts.add(http);
      grpcPorts.add(Ports.free());
      dnsPorts.add(Ports.free());
      apis.add(new Marathon(http));
      masters.add(startMaster(i - 1));
    }
    for (CorralProcess m : masters) {
      m.awaitLog("Corral master", WAIT);
    }
    int leader = awaitLeader(-1);
    for (int i = 1; i <= 2; i++) {
      int ports = Ports.freeRange(10);
      CorralProcess agent = CorralProcess.start(dir.resolve("agent-" + i + ".log"), "agent", "--master", zk,
          "--work-dir", dir.resolve("agent-" + i).toString(), "--hostname", "127.0.0.1",
          "--attributes", "rack:r" + i, "--http-port", "0", "--http-bind", "127.0.0.1",
          "--resources", "cpus:2;mem:1024;disk:512;ports:[" + ports + "-" + (ports + 9) + "]");
      agents.add(agent);
      agent.awaitLog("registered with the master", WAIT);
    }
    assertThat(leader).isBetween(0, MASTERS - 1);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      Marathon api = anyAlive();
      if (api != null) {
        api.delete("/v2/apps" + APP + "?force=true");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (api.get("/v2/tasks").json().path("tasks").size() > 0 && System.nanoTime() < deadline) {
          Thread.sleep(200);
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
    }
  }

  @Test
  void theLeadersDeathMovesLeadershipWithoutTouchingTasks() throws Exception {
    int leader = awaitLeader(-1);
    int standby = (leader + 1) % MASTERS;
    int other = (leader + 2) % MASTERS;

    // Deployed through a standby: it forwards to the leader.
    String app = """
        {"id": "%s", "instances": 2, "cmd": "sleep 100000", "cpus": 0.1, "mem": 16,
         "constraints": [["rack", "GROUP_BY", "2"]]}
        """.formatted(APP);
    assertThat(apis.get(standby).post("/v2/apps", app).status()).isEqualTo(201);
    List<JsonNode> before = apis.get(other).awaitTasks(APP, Marathon.running(2), WAIT);
    Map<String, Long> pids = new HashMap<>();
    for (JsonNode t : before) {
      String id = t.path("id").asText();
      pids.put(id, pidOfTask(id));
    }

    masters.get(leader).signal("KILL");
    masters.get(leader).waitFor(WAIT);

    int next = awaitLeader(leader);
    assertThat(next).isNotEqualTo(leader);
    int survivorStandby = next == standby ? other : standby;
    // A standby found the dead leader's port refusing and took it out of the election, instead of waiting
    // for ZooKeeper to expire its session.
    assertThat(masters.get(next).output() + masters.get(survivorStandby).output())
        .contains("the leading master refuses connections on 127.0.0.1:" + grpcPorts.get(leader))
        .contains("out of the leader election without waiting for it to expire");
    // Both survivors tell the same truth.
    String leaderAddress = "127.0.0.1:" + httpPorts.get(next);
    assertThat(apis.get(survivorStandby).get("/v2/leader").json().path("leader").asText()).isEqualTo(leaderAddress);
    assertThat(apis.get(survivorStandby).get("/v2/info").json().path("leader").asText()).isEqualTo(leaderAddress);
    assertThat(apis.get(next).get("/v2/info").json().path("elected").asBoolean()).isTrue();

    // A standby's DNS forwards to the new leader's.
    Dig dig = new Dig(dnsPorts.get(survivorStandby));
    assertThat(awaitAnswer(dig, "leader.corral")).containsExactly("127.0.0.1");

    // The agents re-register with the new leader; the same tasks run on, none restarted.
    List<JsonNode> after = apis.get(survivorStandby).awaitTasks(APP, Marathon.running(2), WAIT);
    assertThat(ids(after)).isEqualTo(pids.keySet());
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      assertThat(TaskProcesses.alive(e.getValue())).as("task %s still runs", e.getKey()).isTrue();
      assertThat(pidOfTask(e.getKey())).isEqualTo(e.getValue());
    }

    // The new leader resumes the deployment the old one had stored and finishes it (its tasks run already);
    // until then a write to the app is refused with 409, as Marathon does.
    org.awaitility.Awaitility.await().atMost(WAIT)
        .until(() -> apis.get(survivorStandby).get("/v2/deployments").json().isEmpty());

    // The new leader places new work, once.
    assertThat(apis.get(survivorStandby).put("/v2/apps" + APP, "{\"instances\": 4}").status()).isEqualTo(200);
    List<JsonNode> scaled = apis.get(next).awaitTasks(APP, Marathon.running(4), WAIT);
    assertThat(ids(scaled)).containsAll(pids.keySet()).hasSize(4);
    Thread.sleep(3_000); // let any late reconciliation show itself
    List<JsonNode> settled = apis.get(survivorStandby).tasks(APP, null);
    assertThat(ids(settled)).isEqualTo(ids(scaled));
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      assertThat(pidOfTask(e.getKey())).isEqualTo(e.getValue());
    }

    assertThat(awaitAnswer(dig, "sleeper-ha.marathon.corral")).containsExactly("127.0.0.1");

    // The killed master comes back (its ZooKeeper member rejoins the ensemble) as a standby.
    masters.set(leader, startMaster(leader));
    masters.get(leader).awaitLog("Corral master", WAIT);
    assertThat(awaitLeader(-1)).as("a restarted master does not take leadership back").isEqualTo(next);

    // A leader that stops cleanly leaves the election at once: no session timeout to wait for.
    Set<String> running = ids(settled);
    Map<String, Long> allPids = new HashMap<>();
    for (String id : running) {
      allPids.put(id, pidOfTask(id));
    }
    masters.get(next).signal("TERM");
    masters.get(next).waitFor(WAIT);
    int third = awaitLeader(next);
    assertThat(third).isNotEqualTo(next);
    List<JsonNode> handedOver = apis.get(third).awaitTasks(APP, Marathon.running(4), WAIT);
    assertThat(ids(handedOver)).isEqualTo(running);
    for (Map.Entry<String, Long> e : allPids.entrySet()) {
      assertThat(pidOfTask(e.getKey())).isEqualTo(e.getValue());
    }
    masters.set(next, startMaster(next)); // so that the ensemble keeps its majority for the clean-up
    masters.get(next).awaitLog("Corral master", WAIT);
    assertThat(awaitLeader(-1)).isEqualTo(third);

    // A leader that hangs (SIGSTOP: a long pause, its ZooKeeper member frozen with it) is replaced; its
    // agents leave it when their pings go unanswered. When it resumes it steps down without having
    // written or launched anything, and follows the new leader.
    masters.get(third).signal("STOP");
    int fourth;
    try {
      fourth = awaitLeader(third);
      List<JsonNode> meanwhile = apis.get(fourth).awaitTasks(APP, Marathon.running(4), WAIT);
      assertThat(ids(meanwhile)).isEqualTo(running);
    } finally {
      masters.get(third).signal("CONT");
    }
    assertThat(awaitLeader(-1)).as("the resumed master follows the new leader").isEqualTo(fourth);
    masters.get(third).awaitLog("is no longer the leading master", WAIT);
    Thread.sleep(3_000);
    assertThat(ids(apis.get(third).tasks(APP, null))).isEqualTo(running);
    for (Map.Entry<String, Long> e : allPids.entrySet()) {
      assertThat(pidOfTask(e.getKey())).isEqualTo(e.getValue());
    }
  }

  /** Master {@code index} (0-based), with its own ports, work dir and ZooKeeper member. */
  private static CorralProcess startMaster(int index) throws Exception {
    int id = index + 1;
    return CorralProcess.start(dir.resolve("master-" + id + ".log"), "master",
        "--work-dir", dir.resolve("master-" + id).toString(), "--http-port", Integer.toString(httpPorts.get(index)),
        "--grpc-port", Integer.toString(grpcPorts.get(index)), "--dns-port", Integer.toString(dnsPorts.get(index)),
        "--bind", "127.0.0.1", "--hostname", "127.0.0.1",
        "--zk-embedded-peers", peerList, "--zk-peer-id", Integer.toString(id), "--zk-session-timeout", "10",
        // failover is what this test is about; failover with authentication on is AuthHaIT's
        "--no-auth");
  }

  /** The name's A records once there are any (the standby's forwarding follows the leader record). */
  private static List<String> awaitAnswer(Dig dig, String name) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> answer = List.of();
    while (System.nanoTime() < deadline) {
      try {
        answer = dig.answer(name, "A");
        if (!answer.isEmpty()) {
          return answer;
        }
      } catch (java.io.IOException e) {
        // no answer yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no A record for " + name + " within " + WAIT + "; last: " + answer);
  }

  private static long pidOfTask(String taskId) {
    return TaskProcesses.pidOf(dir, taskId, "sleep");
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
      boolean allAnswered = true;
      for (int i = 0; i < MASTERS; i++) {
        if (i == not) {
          continue;
        }
        try {
          Marathon.Response r = apis.get(i).get("/v2/leader");
          last = r.status() + " " + r.body();
          if (r.status() != 200) {
            allAnswered = false;
            continue;
          }
          named.add(r.json().path("leader").asText());
        } catch (java.io.IOException e) {
          allAnswered = false;
          last = e.toString();
        }
      }
      if (allAnswered && named.size() == 1) {
        String leader = named.iterator().next();
        for (int i = 0; i < MASTERS; i++) {
          if (i != not && leader.equals("127.0.0.1:" + httpPorts.get(i))) {
            return i;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the masters never agreed on a leader; last answer: " + last);
  }

  private static Marathon anyAlive() {
    for (int i = 0; i < MASTERS; i++) {
      try {
        if (apis.get(i).get("/v2/leader").status() == 200) {
          return apis.get(i);
        }
      } catch (Exception e) {
        // dead or electing; try the next
      }
    }
    return null;
  }
}

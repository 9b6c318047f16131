package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling upgrade of docs/upgrade.md on a real cluster: three masters (embedded ZooKeeper peers) and two
 * agents run from a copy of the distribution in {@code old/}; each agent in turn is stopped with SIGTERM and
 * started from {@code new/} with the same work dir and flags, then each master, standbys first and the leader
 * last. Meanwhile a client creates an app every half second through the masters in turn. The app's four
 * tasks run on throughout with the same ids and processes, every write a master acknowledged is there at the
 * end, and the client was answered nothing but 2xx, 503 with Retry-After, or a refused connection.
 */
class UpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int MASTERS = 3;
  private static final int AGENTS = 2;
  private static final String APP = "/upgrade/sleeper";
  private static final String WRITES = "/upgrade/writes/";

  // kept when the test fails: the processes' logs are under logs/
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  static Path dir;

  private final List<CorralProcess> masters = new ArrayList<>();
  private final List<String[]> masterArgs = new ArrayList<>();
  private final List<Marathon> apis = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();
  private final List<CorralProcess> agents = new ArrayList<>();
  private final List<String[]> agentArgs = new ArrayList<>();
  /** Every process this test started, so that all are stopped whatever happens. */
  private final List<CorralProcess> started = new ArrayList<>();

  @Test
  void agentsThenMastersOneAtATimeWithoutLosingATaskOrAWrite() throws Exception {
    Path oldDist = copyDistribution("old");
    Path newDist = copyDistribution("new");
    System.out.println("UpgradeIT: cluster under " + dir);
    Writer writer = new Writer();
    try {
      startCluster(oldDist);
      Marathon api = apis.get(0);
      String app = """
          {"id": "%s", "instances": 4, "cmd": "sleep 3600", "cpus": 0.1, "mem": 16,
           "constraints": [["rack", "GROUP_BY", "2"]]}
          """.formatted(APP);
      assertThat(api.post("/v2/apps", app).status()).isEqualTo(201);
      List<JsonNode> tasks = api.awaitTasks(APP, Marathon.running(4), WAIT);
      Map<String, Long> pids = new HashMap<>();
      for (JsonNode t : tasks) {
        pids.put(t.path("id").asText(), TaskProcesses.pidOf(dir, t.path("id").asText(), "sleep"));
      }
      assertThat(pids).hasSize(4);
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> api.get("/v2/deployments").json().isEmpty());

      writer.watch(pids.values());
      writer.start();
      writer.awaitAcknowledged(3);

      // Agents first, one at a time.
      for (int i = 0; i < AGENTS; i++) {
        String agentId = agentIdOf(api, i);
        CorralProcess agent = agents.get(i);
        writer.phase = "agent " + (i + 1) + " restart";
        agent.signal("TERM");
        long stopped = System.nanoTime();
        agent.waitFor(WAIT);
        assertTasksUntouched(pids, "after agent " + (i + 1) + " stopped");
        System.out.printf("UpgradeIT: agent %d stopped; its tasks as the master sees them: %s%n", i + 1,
            anyApi().tasks(APP, null).stream().filter(t -> agentId.equals(t.path("slaveId").asText()))
                .map(t -> t.path("state").asText()).toList());
        int acked = writer.acknowledged.size();
        agents.set(i, start(newDist, "agent-" + (i + 1) + ".log", agentArgs.get(i)));
        agents.get(i).awaitLog("registered with the master as agent " + agentId, WAIT);
        awaitAgentActive(agentId);
        assertThat(ids(anyApi().awaitTasks(APP, Marathon.running(4), WAIT))).isEqualTo(pids.keySet());
        assertTasksUntouched(pids, "after agent " + (i + 1) + " restarted from new/");
        System.out.printf("UpgradeIT: agent %d stopped, restarted from new/ and its tasks RUNNING again in %d ms%n",
            i + 1, Duration.ofNanos(System.nanoTime() - stopped).toMillis());
        CorralProcess.Result nodes = CorralProcess.run(dir, "--url", "http://127.0.0.1:" + httpPorts.get(i % MASTERS),
            "node", "list");
        assertThat(nodes.exitCode()).as(nodes.output()).isZero();
        assertThat(nodes.output()).containsPattern(agentId + "\\s+127\\.0\\.0\\.1\\s+active");
        writer.awaitAcknowledged(acked + 2);
      }

      // Then masters, standbys first and the leader last. Restarting a standby can move leadership too (when
      // its ZooKeeper member led the ensemble, every master's session is suspended for a moment and the
      // leader steps down), so the next master is chosen each time: one not yet upgraded that does not lead.
      Set<Integer> upgraded = new HashSet<>();
      while (upgraded.size() < MASTERS) {
        int leader = awaitLeader(-1);
        int m = leader;
        for (int i = 0; i < MASTERS; i++) {
          if (i != leader && !upgraded.contains(i)) {
            m = i;
            break;
          }
        }
        assertThat(upgraded).as("the leader is upgraded last").doesNotContain(m);
        boolean leads = m == leader;
        writer.phase = "master " + (m + 1) + (leads ? " (leader)" : " (standby)") + " restart";
        masters.get(m).signal("TERM");
        long stopped = System.nanoTime();
        masters.get(m).waitFor(WAIT);
        if (leads) {
          int next = awaitLeader(m);
          System.out.printf("UpgradeIT: leader stopped, %d ms until the other two masters named master %d%n",
              Duration.ofNanos(System.nanoTime() - stopped).toMillis(), next + 1);
        }
        int acked = writer.acknowledged.size();
        masters.set(m, start(newDist, "master-" + (m + 1) + ".log", masterArgs.get(m)));
        masters.get(m).awaitLog("Corral master", WAIT);
        upgraded.add(m);
        int now = awaitLeader(-1);
        if (leads) {
          assertThat(now).as("the old leader comes back as a standby").isNotEqualTo(m);
        } else if (now != leader) {
          System.out.printf("UpgradeIT: restarting standby master %d moved leadership from master %d to %d%n",
              m + 1, leader + 1, now + 1);
        }
        assertThat(ids(apis.get(m).awaitTasks(APP, Marathon.running(4), WAIT))).isEqualTo(pids.keySet());
        assertTasksUntouched(pids, "after master " + (m + 1) + " restarted from new/");
        writer.awaitAcknowledged(acked + 2);
      }

      writer.stop();
      assertThat(writer.died).as("task processes that ended during the upgrade").isEmpty();
      assertThat(writer.unexpected).as("answers other than 2xx, 503 and refused connections").isEmpty();
      assertThat(writer.unavailableWithoutRetryAfter.get()).as("503s without Retry-After").isZero();
      System.out.printf("UpgradeIT: %d writes attempted, %d acknowledged, %d answered 503, %d not connected%n",
          writer.attempted.size(), writer.acknowledged.size(), writer.unavailable.get(), writer.notConnected.get());

      // Every acknowledged write is there, nothing that was never sent, and each app has its instances.
      Marathon end = apis.get(awaitLeader(-1));
      Map<String, Integer> apps = new HashMap<>();
      for (JsonNode a : end.get("/v2/apps").json().path("apps")) {
        apps.put(a.path("id").asText(), a.path("instances").asInt());
      }
      Set<String> written = apps.keySet().stream().filter(id -> id.startsWith(WRITES)).collect(Collectors.toSet());
      assertThat(written).containsAll(writer.acknowledged);
      assertThat(writer.attempted).containsAll(written);
      assertThat(apps.get(APP)).isEqualTo(4);
      assertThat(apps).hasSize(written.size() + 1);
      for (String id : written) {
        assertThat(apps.get(id)).as(id).isZero();
      }
      for (int m = 0; m < MASTERS; m++) {
        int size = apis.get(m).get("/v2/apps").json().path("apps").size();
        assertThat(size).as("apps seen through master %d", m + 1).isEqualTo(apps.size());
      }

      // No task twice, none killed or relaunched.
      Thread.sleep(3_000); // let a late reconciliation show itself
      JsonNode all = end.get("/v2/tasks").json().path("tasks");
      List<JsonNode> allTasks = new ArrayList<>();
      all.forEach(allTasks::add);
      assertThat(ids(allTasks)).isEqualTo(pids.keySet());
      assertThat(allTasks).allMatch(t -> "TASK_RUNNING".equals(t.path("state").asText()));
      assertTasksUntouched(pids, "at the end");
      long sleeps = TaskProcesses.under(dir).stream().filter(p -> p.cmdline().equals("sleep 3600")).count();
      assertThat(sleeps).as("task processes under the agents' work dirs").isEqualTo(4);

      // Everything now runs from new/.
      for (CorralProcess p : agents) {
        assertRunsFrom(p, newDist, oldDist);
      }
      for (CorralProcess p : masters) {
        assertRunsFrom(p, newDist, oldDist);
      }
    } finally {
      writer.stop();
      stopAll();
    }
  }

  private void startCluster(Path dist) throws Exception {
    List<String> peers = new ArrayList<>();
    List<String> clients = new ArrayList<>();
    for (int i = 1; i <= MASTERS; i++) {
      int client = Ports.free();
      peers.add(i + "=127.0.0.1:" + client + ":" + Ports.free() + ":" + Ports.free());
      clients.add("127.0.0.1:" + client);
    }
    String zk = "zk://" + String.join(",", clients) + "/corral";
    for (int i = 1; i <= MASTERS; i++) {
      int http = Ports.free();
      httpPorts.add(http);
      apis.add(new Marathon(http));
      masterArgs.add(new String[] {"master", "--work-dir", dir.resolve("master-" + i).toString(),
          "--http-port", Integer.toString(http), "--grpc-port", Integer.toString(Ports.free()),
          "--dns-port", Integer.toString(Ports.free()), "--bind", "127.0.0.1", "--hostname", "127.0.0.1",
          "--zk-embedded-peers", String.join(",", peers), "--zk-peer-id", Integer.toString(i),
          "--zk-session-timeout", "10", "--no-auth"});
      masters.add(start(dist, "master-" + i + ".log", masterArgs.get(i - 1)));
    }
    for (CorralProcess m : masters) {
      m.awaitLog("Corral master", WAIT);
    }
    awaitLeader(-1);
    for (int i = 1; i <= AGENTS; i++) {
      int ports = Ports.freeRange(10);
      agentArgs.add(new String[] {"agent", "--master", zk, "--work-dir", dir.resolve("agent-" + i).toString(),
          "--hostname", "127.0.0.1", "--attributes", "rack:r" + i, "--http-port", "0", "--http-bind", "127.0.0.1",
          "--no-vip-proxy", "--resources", "cpus:2;mem:1024;disk:512;ports:[" + ports + "-" + (ports + 9) + "]"});
      CorralProcess agent = start(dist, "agent-" + i + ".log", agentArgs.get(i - 1));
      agents.add(agent);
      agent.awaitLog("registered with the master", WAIT);
    }
  }

  private CorralProcess start(Path dist, String log, String[] args) throws IOException {
    CorralProcess p = CorralProcess.startFrom(dist, null, dir.resolve("logs").resolve(log), Map.of(), args);
    started.add(p);
    return p;
  }

  /** A copy of the built distribution in {@code dir/name}, as an operator unpacks a release. */
  private static Path copyDistribution(String name) throws Exception {
    Path target = dir.resolve(name);
    Process cp = new ProcessBuilder("cp", "-a", CorralProcess.distribution().toAbsolutePath().toString(),
        target.toString()).inheritIO().start();
    assertThat(cp.waitFor()).isZero();
    assertThat(target.resolve("lib")).isDirectory();
    return target.toAbsolutePath();
  }

  private static void assertRunsFrom(CorralProcess p, Path dist, Path not) throws IOException {
    String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
        StandardCharsets.UTF_8).replace('\0', ' ');
    assertThat(cmdline).contains(dist.resolve("lib").toString()).doesNotContain(not.toString());
  }

  /** The id of agent {@code index} (0-based), by its rack attribute. */
  private static String agentIdOf(Marathon api, int index) throws Exception {
    for (JsonNode a : api.get("/master/slaves").json().path("slaves")) {
      if (("r" + (index + 1)).equals(a.path("attributes").path("rack").asText())) {
        return a.path("id").asText();
      }
    }
    throw new AssertionError("no agent with rack r" + (index + 1) + ": " + api.get("/master/slaves").body());
  }

  private void awaitAgentActive(String agentId) {
    org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (JsonNode a : anyApi().get("/master/slaves").json().path("slaves")) {
        if (agentId.equals(a.path("id").asText())) {
          return a.path("active").asBoolean();
        }
      }
      return false;
    });
  }

  private static void assertTasksUntouched(Map<String, Long> pids, String when) {
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      assertThat(TaskProcesses.alive(e.getValue())).as("task %s still runs %s", e.getKey(), when).isTrue();
      assertThat(TaskProcesses.pidOf(dir, e.getKey(), "sleep")).as("process of task %s %s", e.getKey(), when)
          .isEqualTo(e.getValue());
    }
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    Set<String> out = tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toCollection(HashSet::new));
    assertThat(out).as("no task id twice").hasSize(tasks.size());
    return out;
  }

  /** A master that answers, through which the leader's API is reached. */
  private Marathon anyApi() throws Exception {
    return apis.get(awaitLeader(-1));
  }

  /** Waits until every live master names the same leader, other than {@code not}; returns its index. */
  private int awaitLeader(int not) throws Exception {
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
        } catch (IOException e) {
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

  private void stopAll() {
    try {
      for (int i = 0; i < MASTERS && i < apis.size(); i++) {
        try {
          if (apis.get(i).delete("/v2/apps" + APP + "?force=true").status() / 100 == 2) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (apis.get(i).get("/v2/tasks").json().path("tasks").size() > 0 && System.nanoTime() < deadline) {
              Thread.sleep(200);
            }
            break;
          }
        } catch (Exception e) {
          // this master is down or electing: try the next
        }
      }
    } finally {
      for (CorralProcess p : started) {
        try {
          p.stop();
        } catch (Throwable e) {
          p.close();
        }
      }
      TaskProcesses.killAllUnder(dir);
    }
  }

  /**
   * Creates an app (no instances) every half second through the masters in turn, as a client that does not
   * know which master leads; records which writes were acknowledged (2xx) and how the others were answered.
   */
  private final class Writer {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    final Set<String> attempted = ConcurrentHashMap.newKeySet();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger unavailableWithoutRetryAfter = new AtomicInteger();
    final AtomicInteger notConnected = new AtomicInteger();
    /** What the upgrade is doing, for the report of unexpected answers. */
    volatile String phase = "start";
    /** Task processes checked at every write: none may end while the cluster is upgraded. */
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    final Set<Long> died = ConcurrentHashMap.newKeySet();

    void watch(java.util.Collection<Long> pids) {
      watched.addAll(pids);
    }

    void start() {
      running.set(true);
      thread = new Thread(this::run, "upgrade-writer");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      if (thread != null) {
        thread.join(60_000);
      }
    }

    void awaitAcknowledged(int n) {
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> acknowledged.size() >= n);
    }

    private void run() {
      for (int n = 1; running.get(); n++) {
        for (long pid : watched) {
          if (!TaskProcesses.alive(pid)) {
            died.add(pid);
          }
        }
        int port = httpPorts.get(n % MASTERS);
        String id = WRITES + "a" + n;
        attempted.add(id);
        String body = "{\"id\": \"" + id + "\", \"instances\": 0, \"cmd\": \"sleep 3600\", \"cpus\": 0.01, \"mem\": 8}";
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/apps"))
              .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() / 100 == 2) {
            acknowledged.add(id);
          } else if (r.statusCode() == 503) {
            unavailable.incrementAndGet();
            if (r.headers().firstValue("Retry-After").isEmpty()) {
              unavailableWithoutRetryAfter.incrementAndGet();
            }
          } else if (r.statusCode() == 500 && r.body().contains("EofException") && phase.contains("restart")) {
            // the request met the stopping master's connection closing (relayed by a standby as Jetty's 500):
            // a cut connection like the refused ones below, not an answer; its write was not acknowledged
            notConnected.incrementAndGet();
          } else {
            unexpected.add(id + " via " + port + " during " + phase + " at " + java.time.Instant.now() + ": "
                + r.statusCode() + " " + r.body());
          }
        } catch (IOException e) {
          notConnected.incrementAndGet(); // that master is down right now
        } catch (InterruptedException e) {
          return;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}

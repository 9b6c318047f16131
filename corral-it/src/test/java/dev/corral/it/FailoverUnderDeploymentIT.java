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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover in the middle of a large deployment: three masters (embedded ZooKeeper members), three agents,
 * one app of many tiny process tasks deployed while the leader is killed with SIGKILL (and restarted, so
 * that three masters stay available) as soon as the deployment's first task runs (at the latest 5 seconds
 * after it starts) and then every 20 seconds (at least three times, so later failovers hit the finished
 * deployment too), and small writes sent all along
 * through any master.
 * At the end: the deployment finished; every write that was answered 2xx is there; exactly the configured
 * number of instances runs, each task once in the API and once in the agents' process table; and no task
 * was killed by a failover (a scale-up replaces nothing, so every task ever seen running still runs, with
 * the same process).
 *
 * <p>The instance count is {@code -Dcorral.it.failover.instances} (or the environment variable
 * {@code CORRAL_IT_FAILOVER_INSTANCES}), 500 by default.
 */
class FailoverUnderDeploymentIT {
  private static final Duration WAIT = HaMasters.WAIT;
  private static final Duration DEPLOY_WAIT = Duration.ofMinutes(25);
  private static final Duration FIRST_KILL = Duration.ofSeconds(5);
  private static final Duration KILL_EVERY = Duration.ofSeconds(20);
  private static final int MIN_KILLS = 3;
  private static final String APP = "/chaos/sleepers";
  private static final String COUNTER = "/chaos/counter";
  private static final String CMD = "sleep 3600";
  private static final int AGENTS = 3;
  private static final int INSTANCES = Integer.getInteger("corral.it.failover.instances",
      Integer.parseInt(System.getenv().getOrDefault("CORRAL_IT_FAILOVER_INSTANCES", "500")));

  @TempDir
  static Path dir;
  static HaMasters ha;

  @BeforeAll
  static void start() throws Exception {
    ha = HaMasters.start(dir, 3, "--no-auth");
    // each agent holds 40% of the instances (0.01 cpus, 8 MB each), so that all three get some
    double cpus = Math.max(1, Math.ceil(INSTANCES * 0.01 * 0.4 * 100) / 100);
    int mem = Math.max(512, (int) Math.ceil(INSTANCES * 8 * 0.4));
    for (int i = 1; i <= AGENTS; i++) {
      ha.startAgent("agent-" + i, "cpus:" + cpus + ";mem:" + mem + ";disk:1024");
    }
  }

  @AfterAll
  static void stop() {
    if (ha != null) {
      ha.deleteApps(APP);
      ha.close();
    }
  }

  @Test
  void killingTheLeaderEveryTwentySecondsLosesAndDuplicatesNothing() throws Exception {
    int first = ha.awaitLeader(-1);
    long t0 = System.nanoTime();
    Marathon.Response created = ha.apis.get((first + 1) % 3).post("/v2/apps", """
        {"id": "%s", "instances": %d, "cmd": "%s", "cpus": 0.01, "mem": 8, "portDefinitions": []}""".formatted(
        APP, INSTANCES, CMD));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    // Everything observed while the chaos runs.
    Map<String, Long> firstPid = new ConcurrentHashMap<>(); // task id -> the process first seen for it
    Set<String> seenRunning = ConcurrentHashMap.newKeySet();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger lastUpdate = new AtomicInteger(-1);
    assertThat(ha.apis.get(first).post("/v2/apps", """
        {"id": "%s", "instances": 0, "cmd": "sleep 1", "cpus": 0.01, "mem": 8, "portDefinitions": []}""".formatted(
        COUNTER)).status()).isEqualTo(201);
    List<String> failovers = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread writer = new Thread(() -> writeAll(acknowledged, lastUpdate, done), "acknowledged-writes");
    writer.start();

    int kills = 0;
    int killsDuringDeployment = 0;
    long nextKill = System.nanoTime() + FIRST_KILL.toNanos();
    long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
    boolean deployed = false;
    try {
      // until the deployment is done, and at least MIN_KILLS leaders were killed (the later ones check that a
      // failover after the deployment touches nothing either)
      while (!deployed || kills < MIN_KILLS) {
        assertThat(System.nanoTime()).as("the deployment of %d instances finishes within %s (after %d failovers)",
            INSTANCES, DEPLOY_WAIT, kills).isLessThan(deadline);
        observe(seenRunning, firstPid);
        deployed = deployed || deploymentDone();
        // the first kill as soon as tasks start running: a deployment of tiny tasks may be done in seconds
        if (System.nanoTime() >= nextKill || (kills == 0 && !deployed && !seenRunning.isEmpty())) {
          int leader = ha.awaitLeader(-1);
          int running = seenRunning.size();
          ha.killAndRestart(leader);
          kills++;
          if (!deployed) {
            killsDuringDeployment++;
          }
          int next = ha.awaitLeader(leader);
          failovers.add(String.format("%.0f s: killed master %d with %d tasks seen running; master %d leads",
              (System.nanoTime() - t0) / 1e9, leader + 1, running, next + 1));
          // the killed master comes back as a standby before the next round
          ha.masters.get(leader).awaitLog("Corral master", WAIT);
          nextKill = System.nanoTime() + KILL_EVERY.toNanos();
        }
        Thread.sleep(kills == 0 ? 100 : 1_000);
      }
    } finally {
      done.set(true);
      writer.join(60_000);
    }
    double finishedAfter = (System.nanoTime() - t0) / 1e9;
    failovers.forEach(f -> System.out.println("failover-under-deployment: " + f));
    System.out.printf("failover-under-deployment: %d instances deployed through %d leader kill(s) (%d in all,"
        + " the loop ended after %.0f s); %d acknowledged creations, last acknowledged update #%d%n", INSTANCES,
        killsDuringDeployment, kills, finishedAfter, acknowledged.size(), lastUpdate.get());
    assertThat(killsDuringDeployment).as("the leader was killed during the deployment").isGreaterThan(0);

    int leader = ha.awaitLeader(-1);
    Marathon api = ha.apis.get(leader);
    // No app, instance or acknowledged write lost.
    assertThat(api.get("/v2/apps" + APP).json().path("app").path("instances").asInt()).isEqualTo(INSTANCES);
    for (String id : acknowledged) {
      assertThat(api.get("/v2/apps" + id).status()).as("acknowledged write of %s", id).isEqualTo(200);
    }
    assertThat(lastUpdate.get()).as("some updates were acknowledged").isPositive();
    // a later update may have been applied without its answer arriving (its master was killed), never an
    // acknowledged one lost
    assertThat(api.get("/v2/apps" + COUNTER).json().path("app").path("labels").path("n").asInt())
        .as("the counter shows the last acknowledged update or a later one").isGreaterThanOrEqualTo(lastUpdate.get());

    // Exactly INSTANCES tasks, each once, in the API and on the agents, settled.
    List<JsonNode> tasks = api.awaitTasks(APP, Marathon.running(INSTANCES), WAIT);
    Thread.sleep(5_000); // let any late reconciliation show itself
    tasks = api.awaitTasks(APP, Marathon.running(INSTANCES), WAIT);
    Set<String> ids = ids(tasks);
    assertThat(ids).hasSize(INSTANCES);
    Map<String, Set<Path>> sandboxes = new HashMap<>();
    for (TaskProcesses.Proc p : TaskProcesses.under(dir)) {
      if (p.cmdline().contains(CMD) && !p.cmdline().contains("monitor")) {
        sandboxes.computeIfAbsent(p.cwd().getFileName().toString(), k -> new HashSet<>()).add(p.cwd());
      }
    }
    assertThat(sandboxes.values()).as("no task runs on two agents").allMatch(s -> s.size() == 1);
    Map<String, Long> processes = taskProcesses();
    assertThat(processes.keySet()).as("task processes on the agents are exactly the API's tasks").isEqualTo(ids);
    Map<String, Integer> perAgent = new HashMap<>();
    tasks.forEach(t -> perAgent.merge(t.path("host").asText(), 1, Integer::sum));
    System.out.println("failover-under-deployment: tasks per agent " + perAgent);
    assertThat(perAgent).as("the instances spread over the agents").hasSize(AGENTS);

    // No task killed by a failover: everything seen running still runs, as the same process.
    assertThat(ids).as("every task seen running during the failovers still runs").containsAll(seenRunning);
    for (Map.Entry<String, Long> e : firstPid.entrySet()) {
      assertThat(processes.get(e.getKey())).as("process of %s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** Records which tasks the API shows running (whoever answers) and the process of each task on the agents. */
  private static void observe(Set<String> seenRunning, Map<String, Long> firstPid) {
    for (Marathon api : ha.apis) {
      try {
        Marathon.Response r = api.get("/v2/apps" + APP + "/tasks");
        if (r.status() == 200) {
          for (JsonNode t : r.json().path("tasks")) {
            if ("TASK_RUNNING".equals(t.path("state").asText())) {
              seenRunning.add(t.path("id").asText());
            }
          }
          break;
        }
      } catch (Exception e) {
        // this master is dead or electing; ask the next
      }
    }
    taskProcesses().forEach(firstPid::putIfAbsent);
  }

  private static boolean deploymentDone() {
    for (Marathon api : ha.apis) {
      try {
        Marathon.Response d = api.get("/v2/deployments");
        if (d.status() != 200) {
          continue;
        }
        if (!d.json().isEmpty()) {
          return false;
        }
        return Marathon.running(INSTANCES).test(api.tasks(APP, null));
      } catch (Exception e) {
        // ask the next
      }
    }
    return false;
  }

  /**
   * Until {@code done}, through the masters in turn: creates small apps (no instances), and between two
   * creations updates the label {@code n} of {@link #COUNTER} to the write's number; remembers each app
   * answered 2xx and the highest number of an update answered 2xx. Answers other than 2xx (no leader yet, a
   * forwarding error) are allowed: the client would retry; only what was acknowledged must survive.
   */
  private static void writeAll(Set<String> acknowledged, AtomicInteger lastUpdate, AtomicBoolean done) {
    int n = 0;
    while (!done.get()) {
      Marathon api = ha.apis.get(n % ha.apis.size());
      n++;
      try {
        if (n % 2 == 0) {
          Marathon.Response r = api.put("/v2/apps" + COUNTER, "{\"labels\": {\"n\": \"" + n + "\"}}");
          if (r.status() / 100 == 2) {
            lastUpdate.accumulateAndGet(n, Math::max);
          }
        } else {
          String id = "/chaos/writes/w" + n;
          Marathon.Response r = api.post("/v2/apps", """
              {"id": "%s", "instances": 0, "cmd": "sleep 1", "cpus": 0.01, "mem": 8, "portDefinitions": []}""".formatted(id));
          if (r.status() / 100 == 2) {
            acknowledged.add(id);
          }
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // connection refused (a killed master): the write was not acknowledged
      }
    }
  }

  /** Task id (its sandbox's name) -> pid of its process, for every task process under the agents. */
  private static Map<String, Long> taskProcesses() {
    Map<String, Long> out = new HashMap<>();
    List<TaskProcesses.Proc> procs = TaskProcesses.under(dir);
    for (TaskProcesses.Proc p : procs) {
      if (p.cmdline().contains(CMD) && !p.cmdline().contains("monitor")) {
        String task = p.cwd().getFileName().toString();
        Long had = out.put(task, p.pid());
        if (had != null) {
          out.put(task, Math.min(had, p.pid()));
        }
      }
    }
    return out;
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    Set<String> out = tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toCollection(HashSet::new));
    assertThat(out).as("no task id twice").hasSize(tasks.size());
    return out;
  }
}

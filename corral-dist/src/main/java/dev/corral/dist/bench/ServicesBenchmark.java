package dev.corral.dist.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.dist.bench.ServicesCluster.StoreKind;
import dev.corral.dist.bench.ServicesCluster.Transport;
import dev.corral.sim.FleetStats;
import dev.corral.sim.SimulatedAgents;
import dev.corral.sim.SimulationConfig;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The service scheduler at scale: a real master, the real service scheduler and the Marathon API on a
 * loopback port, all in this JVM as `corral up` runs them, with simulated agents instead of real ones
 * (they speak the agent API but start no processes). Measured through the HTTP API and the agents' own
 * reports:
 * <ul>
 *   <li>A: one app of 10,000 instances on 1,000 agents, POST → all RUNNING;
 *   <li>B: 10,000 single-instance apps POSTed by a few clients, first POST → all RUNNING;
 *   <li>API latency during A and B: a background client GETs an app and the queue and POSTs small apps;
 *   <li>heap: 10,000 apps × 10 instances, used heap after a forced GC, and what each layer held, measured
 *       by stopping the layers one by one.
 * </ul>
 * "RUNNING" means the scheduler has acknowledged the task's TASK_RUNNING: it has recorded it in the store.
 */
@Command(name = "services",
    description = "Deploy thousands of instances and apps on simulated agents; time it, and measure API latency and heap.")
public final class ServicesBenchmark implements Callable<Integer> {
  static final double TARGET_A_SECONDS = 5;
  static final double TARGET_B_SECONDS = 30;
  static final double TARGET_P99_MILLIS = 100;
  static final long TARGET_HEAP_MIB = 2048;
  static final String ANCHOR = "Marathon took 14–38 s to run 500 instances";

  @Spec
  CommandSpec spec;

  @Option(names = "--scenarios", defaultValue = "a,b,heap", split = ",",
      description = "Which scenarios to run, of a, b, heap, c1m (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--store", defaultValue = "zk",
      description = "zk (embedded ZooKeeper persisting to disk, as `corral up`) or memory (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--transport", defaultValue = "inprocess",
      description = "How agents reach the master: inprocess or tcp (a loopback gRPC port) (default: ${DEFAULT-VALUE}).")
  String transport;

  @Option(names = "--agents", defaultValue = "1000", description = "Agents for A and B (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--instances", defaultValue = "10000", description = "Instances of A's app (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--apps", defaultValue = "10000", description = "Apps in B (default: ${DEFAULT-VALUE}).")
  int apps;

  @Option(names = "--clients", defaultValue = "4", description = "Concurrent HTTP clients posting apps (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--heap-apps", defaultValue = "10000", description = "Apps in the heap scenario (default: ${DEFAULT-VALUE}).")
  int heapApps;

  @Option(names = "--heap-instances", defaultValue = "10",
      description = "Instances per app in the heap scenario (default: ${DEFAULT-VALUE}).")
  int heapInstances;

  @Option(names = "--heap-agents", defaultValue = "2000", description = "Agents in the heap scenario (default: ${DEFAULT-VALUE}).")
  int heapAgents;

  @Option(names = "--c1m-apps", defaultValue = "1000", description = "Apps in the placement scenario (default: ${DEFAULT-VALUE}).")
  int c1mApps;

  @Option(names = "--c1m-instances", defaultValue = "1000",
      description = "Instances per app in the placement scenario (default: ${DEFAULT-VALUE}).")
  int c1mInstances;

  @Option(names = "--c1m-agents", defaultValue = "5000",
      description = "Agents in the placement scenario (default: ${DEFAULT-VALUE}).")
  int c1mAgents;

  @Option(names = "--agent-resources", defaultValue = "cpus:16;mem:65536;disk:65536;ports:[31000-32000]",
      description = "What each simulated agent offers (default: ${DEFAULT-VALUE}).")
  String agentResources;

  @Option(names = "--launch-delay", defaultValue = "0",
      description = "Milliseconds a simulated task takes from launch to RUNNING (default: ${DEFAULT-VALUE}).")
  long launchDelayMillis;

  @Option(names = "--no-starting",
      description = "Agents report only TASK_RUNNING, as Corral's own agent does, not TASK_STARTING first.")
  boolean noStarting;

  @Option(names = "--api-rate", defaultValue = "30",
      description = "Requests per second of the background API client during A and B (default: ${DEFAULT-VALUE}).")
  double apiRate;

  @Option(names = "--no-warmup", description = "Skip the warm-up deployment that runs before each scenario.")
  boolean noWarmup;

  @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for any one step (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--work-dir", description = "Where ZooKeeper keeps its data (default: a new temporary directory).")
  Path workDir;

  @Option(names = "--verbose",
      description = "Keep Corral's INFO and WARN logs; by default only errors are logged, because at this scale the"
          + " warnings about resent updates alone come to tens of megabytes and cost time.")
  boolean verbose;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  private PrintWriter progress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    progress = spec.commandLine().getErr();
    StoreKind storeKind = parse(StoreKind.class, store, "--store");
    Transport transportKind = parse(Transport.class, transport, "--transport");
    if (!verbose) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.corral")).setLevel(Level.ERROR);
    }
    Path dir = workDir != null
        ? Files.createDirectories(workDir.resolve("corral-bench-services-" + ProcessHandle.current().pid()))
        : Files.createTempDirectory("corral-bench-services-");
    ObjectNode figures = Json.mapper().createObjectNode();
    figures.put("store", storeKind.name().toLowerCase(Locale.ROOT));
    figures.put("transport", transportKind.name().toLowerCase(Locale.ROOT));
    figures.put("cores", Runtime.getRuntime().availableProcessors());
    figures.put("maxHeapMiB", HeapProbe.mib(Runtime.getRuntime().maxMemory()));
    figures.put("loadAverageAtStart", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
    figures.put("launchDelayMillis", launchDelayMillis);
    figures.put("startingReported", !noStarting);
    try {
      for (String s : scenarios) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
          case "a" -> figures.set("a", scenarioA(storeKind, transportKind, dir.resolve("a")));
          case "b" -> figures.set("b", scenarioB(storeKind, transportKind, dir.resolve("b")));
          case "heap" -> figures.set("heap", scenarioHeap(storeKind, transportKind, dir.resolve("heap")));
          case "c1m" -> figures.set("c1m", scenarioC1m(storeKind, transportKind, dir.resolve("c1m")));
          default -> throw new IllegalArgumentException("unknown scenario '" + s + "'; use a, b, heap or c1m");
        }
      }
    } finally {
      deleteRecursively(dir);
    }
    figures.put("loadAverageAtEnd", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
    print(out, figures);
    return 0;
  }

  // ---------------------------------------------------------------- scenarios

  private ObjectNode scenarioA(StoreKind storeKind, Transport transportKind, Path dir) throws Exception {
    ObjectNode f = Json.mapper().createObjectNode();
    f.put("agents", agents);
    f.put("instances", instances);
    try (Setup s = Setup.start(this, storeKind, transportKind, dir, agents)) {
      LongAdder running = s.counter.watch("bench_a.", TaskState.TASK_RUNNING);
      ApiLoad load = new ApiLoad(s.api, "/bench/probe", "/bench/api-a", apiRate).start();
      say("[A] POST /v2/apps /bench/a with %,d instances", instances);
      long t0 = System.nanoTime();
      s.api.createApp(HttpApi.sleepApp("/bench/a", instances));
      f.put("postMillis", millisSince(t0));
      await("[A] RUNNING", running, instances, t0, s.agents);
      f.put("allRunningMillis", millisSince(t0));
      f.set("api", load.stop());
      long g0 = System.nanoTime();
      JsonNode app = s.api.get("/v2/apps/bench/a").json();
      f.put("getBigAppMillis", millisSince(g0));
      f.put("tasksRunningByApi", app.path("app").path("tasksRunning").asInt());
      f.put("apiPostedApps", f.path("api").path("POST_APP").path("count").asInt());
    }
    return f;
  }

  private ObjectNode scenarioB(StoreKind storeKind, Transport transportKind, Path dir) throws Exception {
    ObjectNode f = Json.mapper().createObjectNode();
    f.put("agents", agents);
    f.put("apps", apps);
    f.put("clients", clients);
    try (Setup s = Setup.start(this, storeKind, transportKind, dir, agents)) {
      LongAdder running = s.counter.watch("bench_b_", TaskState.TASK_RUNNING);
      ApiLoad load = new ApiLoad(s.api, "/bench/probe", "/bench/api-b", apiRate).start();
      say("[B] POST %,d single-instance apps with %d clients", apps, clients);
      long t0 = System.nanoTime();
      postApps(s.api, apps, i -> HttpApi.portlessSleepApp(numbered("/bench/b/app-", i), 1));
      f.put("allPostedMillis", millisSince(t0));
      say("[B] all %,d apps posted after %.1f s", apps, millisSince(t0) / 1000.0);
      await("[B] RUNNING", running, apps, t0, s.agents);
      f.put("allRunningMillis", millisSince(t0));
      f.set("api", load.stop());
      f.put("apiPostedApps", f.path("api").path("POST_APP").path("count").asInt());
    }
    return f;
  }

  /**
   * Placement throughput in the shape of Nomad's C1M: {@code c1mApps} apps × {@code c1mInstances} instances,
   * each app constrained by attribute to half of the agents ({@code zone LIKE z[0-4]} or {@code z[5-9]}), on
   * {@code c1mAgents} agents, persisted. Reports tasks/s placed (the agent got the launch: TASK_STARTING) and
   * tasks/s RUNNING (acknowledged), from the first POST.
   */
  private ObjectNode scenarioC1m(StoreKind storeKind, Transport transportKind, Path dir) throws Exception {
    ObjectNode f = Json.mapper().createObjectNode();
    long tasks = (long) c1mApps * c1mInstances;
    f.put("agents", c1mAgents);
    f.put("apps", c1mApps);
    f.put("instancesPerApp", c1mInstances);
    f.put("tasks", tasks);
    try (Setup s = Setup.start(this, storeKind, transportKind, dir, c1mAgents)) {
      LongAdder running = s.counter.watch("bench_c1m_", TaskState.TASK_RUNNING);
      LongAdder placed = s.counter.watch("bench_c1m_", noStarting ? TaskState.TASK_RUNNING : TaskState.TASK_STARTING);
      double[] size = c1mTaskSize(tasks);
      f.put("taskCpus", size[0]);
      f.put("taskMem", size[1]);
      if (warmup()) {
        warmUpC1m(s, size);
      }
      say("[c1m] POST %,d apps of %,d instances (zone constraints; cpus %s, mem %.0f each) on %,d agents", c1mApps,
          c1mInstances, size[0], size[1], c1mAgents);
      long t0 = System.nanoTime();
      postApps(s.api, c1mApps, i -> c1mApp("/bench/c1m/app-", i, size));
      f.put("allPostedMillis", millisSince(t0));
      await("[c1m] placed", placed, tasks, t0, s.agents);
      long placedMillis = millisSince(t0);
      await("[c1m] RUNNING", running, tasks, t0, s.agents);
      long runningMillis = millisSince(t0);
      f.put("allPlacedMillis", placedMillis);
      f.put("allRunningMillis", runningMillis);
      f.put("placedPerSecond", Math.round(tasks * 1000.0 / Math.max(1, placedMillis)));
      f.put("runningPerSecond", Math.round(tasks * 1000.0 / Math.max(1, runningMillis)));
      f.put("usedHeapAfterGcMiB", HeapProbe.mib(HeapProbe.usedAfterGc()));
      say("[c1m] %,d tasks: placed %,d/s, RUNNING %,d/s (target >= 20,000/s; Nomad C1M 3,750/s)", tasks,
          f.path("placedPerSecond").asLong(), f.path("runningPerSecond").asLong());
    }
    return f;
  }

  /**
   * A tenth of the apps (at least one), of the same shape, run and removed first: the general warm-up is too
   * small to get the placement's code compiled, and the JIT compiler then took a quarter of the run's CPU.
   */
  private void warmUpC1m(Setup s, double[] size) throws Exception {
    int apps = Math.max(1, c1mApps / 10);
    long tasks = (long) apps * c1mInstances;
    LongAdder running = s.counter.watch("warmup_c1m", TaskState.TASK_RUNNING);
    LongAdder killed = s.counter.watch("warmup_c1m", TaskState.TASK_KILLED);
    long t0 = System.nanoTime();
    postApps(s.api, apps, i -> c1mApp("/warmup/c1m-", i, size));
    await("  C1M warm-up RUNNING", running, tasks, t0, s.agents);
    for (int i = 0; i < apps; i++) {
      s.api.delete("/v2/apps" + numbered("/warmup/c1m-", i));
    }
    await("  C1M warm-up KILLED", killed, tasks, t0, s.agents);
  }

  /** A C1M app: constrained by zone to half of the agents, the even ones to one half, the odd to the other. */
  private ObjectNode c1mApp(String idPrefix, int i, double[] size) {
    ObjectNode app = HttpApi.portlessSleepApp(numbered(idPrefix, i), c1mInstances);
    app.put("cpus", size[0]).put("mem", size[1]);
    app.putArray("constraints").addArray().add("zone").add("LIKE").add(i % 2 == 0 ? "z[0-4]" : "z[5-9]");
    return app;
  }

  /**
   * cpus and mem of a C1M task: each agent holds twice its fair share of the tasks (C1M ran some 200 per host).
   * Tiny tasks would pile each app's instances onto the first agent offered: 100,000 of them on a dozen of the
   * 5,000 agents, each launch call thousands of tasks long.
   */
  private double[] c1mTaskSize(long tasks) {
    double slots = Math.ceil(2.0 * tasks / c1mAgents);
    double cpus = 0;
    double mem = 0;
    for (Resource r : fleetConfig(1).resources()) {
      if (r.getName().equals("cpus")) {
        cpus += r.getScalar();
      } else if (r.getName().equals("mem")) {
        mem += r.getScalar();
      }
    }
    return new double[] {Math.floor(cpus / slots * 1000) / 1000, Math.floor(mem / slots)};
  }

  /**
   * Loads 10,000 apps × 10 instances, then measures used heap as each layer stops: the service scheduler
   * (with the HTTP API), the simulated agents, the master, the store. Each drop is that layer's share.
   */
  private ObjectNode scenarioHeap(StoreKind storeKind, Transport transportKind, Path dir) throws Exception {
    ObjectNode f = Json.mapper().createObjectNode();
    long tasks = (long) heapApps * heapInstances;
    f.put("agents", heapAgents);
    f.put("apps", heapApps);
    f.put("instancesPerApp", heapInstances);
    f.put("tasks", tasks);
    long before = HeapProbe.usedAfterGc();
    Setup s = Setup.start(this, storeKind, transportKind, dir, heapAgents);
    try {
      long idle = HeapProbe.usedAfterGc();
      LongAdder running = s.counter.watch("bench_heap_", TaskState.TASK_RUNNING);
      say("[heap] POST %,d apps of %d instances with %d clients", heapApps, heapInstances, clients);
      long t0 = System.nanoTime();
      postApps(s.api, heapApps, i -> HttpApi.portlessSleepApp(numbered("/bench/heap/app-", i), heapInstances));
      f.put("allPostedMillis", millisSince(t0));
      await("[heap] RUNNING", running, tasks, t0, s.agents);
      f.put("allRunningMillis", millisSince(t0));
      say("[heap] measuring: used heap after GC, then as each layer stops");
      long loaded = HeapProbe.usedAfterGc();
      s.cluster.stopServices();
      long withoutServices = HeapProbe.usedAfterSettling();
      s.agents.close();
      s.agents = null;
      long withoutAgents = HeapProbe.usedAfterSettling();
      s.cluster.stopMaster();
      long withoutMaster = HeapProbe.usedAfterSettling();
      s.cluster.stopStore();
      long withoutStore = HeapProbe.usedAfterSettling();
      f.put("withoutSchedulerMiB", HeapProbe.mib(withoutServices));
      f.put("withoutAgentsMiB", HeapProbe.mib(withoutAgents));
      f.put("withoutMasterMiB", HeapProbe.mib(withoutMaster));
      f.put("withoutStoreMiB", HeapProbe.mib(withoutStore));
      f.put("beforeClusterMiB", HeapProbe.mib(before));
      f.put("idleClusterMiB", HeapProbe.mib(idle));
      f.put("loadedMiB", HeapProbe.mib(loaded));
      f.put("schedulerMiB", HeapProbe.mib(loaded - withoutServices));
      f.put("agentsMiB", HeapProbe.mib(withoutServices - withoutAgents));
      f.put("masterMiB", HeapProbe.mib(withoutAgents - withoutMaster));
      f.put("storeMiB", HeapProbe.mib(withoutMaster - withoutStore));
    } finally {
      s.close();
    }
    return f;
  }

  // ---------------------------------------------------------------- steps

  /** An app id: the prefix and the index, five digits. */
  private static String numbered(String prefix, int i) {
    return prefix + String.format("%05d", i);
  }

  /** POSTs {@code count} apps, the {@code i}th being {@code appOf(i)}, with {@code clients} concurrent clients. */
  private void postApps(HttpApi api, int count, java.util.function.IntFunction<ObjectNode> appOf) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < count) {
            api.createApp(appOf.apply(i));
            if ((i + 1) % 2_000 == 0) {
              say("      %,d apps posted after %.1f s", i + 1, millisSince(t0) / 1000.0);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until {@code count} reaches {@code target}, printing progress every two seconds. */
  void await(String label, LongAdder count, long target, long t0, SimulatedAgents fleet) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    long nextReport = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (count.sum() < target) {
      long now = System.nanoTime();
      if (now > deadline) {
        FleetStats st = fleet.stats();
        throw new IllegalStateException(String.format("%s: only %,d of %,d after %d s (agents: %s)", label,
            count.sum(), target, timeoutSeconds, st));
      }
      if (now > nextReport) {
        FleetStats st = fleet.stats();
        say("%s: %,d / %,d after %.1f s (agents: %,d launches, %,d updates resent)", label, count.sum(), target,
            (now - t0) / 1e9, st.launched(), st.resent());
        nextReport = now + Duration.ofSeconds(2).toNanos();
      }
      Thread.sleep(5);
    }
    say("%s: all %,d after %.2f s", label, target, (System.nanoTime() - t0) / 1e9);
  }

  void say(String format, Object... args) {
    progress.printf(format + "%n", args);
    progress.flush();
  }

  SimulationConfig fleetConfig(int count) {
    return SimulationConfig.builder(count).resources(agentResources).reportStarting(!noStarting)
        .attributes(i -> List.of(SimulatedAgents.attribute("zone", "z" + (i % 10))))
        .launchToRunning(Duration.ofMillis(launchDelayMillis)).build();
  }

  boolean warmup() {
    return !noWarmup;
  }

  static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  // ---------------------------------------------------------------- output

  private void print(PrintWriter out, ObjectNode f) {
    if (json) {
      ObjectNode targets = f.putObject("targets");
      targets.put("aSeconds", TARGET_A_SECONDS);
      targets.put("bSeconds", TARGET_B_SECONDS);
      targets.put("apiP99Millis", TARGET_P99_MILLIS);
      targets.put("heapMiB", TARGET_HEAP_MIB);
      targets.put("anchor", ANCHOR);
      out.println(f.toPrettyString());
      out.flush();
      return;
    }
    out.printf("Services benchmark: store %s, agents %s%s, %d cores, %,d MiB max heap, load average %.2f → %.2f%n",
        f.get("store").asText().equals("zk") ? "zk (embedded ZooKeeper, on disk)" : "memory",
        f.get("transport").asText(), f.get("startingReported").asBoolean() ? " (STARTING, then RUNNING)" : " (RUNNING only)",
        f.get("cores").asInt(), f.get("maxHeapMiB").asLong(),
        f.get("loadAverageAtStart").asDouble(), f.get("loadAverageAtEnd").asDouble());
    JsonNode a = f.get("a");
    if (a != null) {
      out.printf("A: one app of %,d instances on %,d agents%n", a.get("instances").asInt(), a.get("agents").asInt());
      out.printf("  POST → all RUNNING:   %,d ms   (target < %.0f s; anchor: %s)%n", a.get("allRunningMillis").asLong(),
          TARGET_A_SECONDS, ANCHOR);
      out.printf("  POST answered after:  %,d ms%n", a.get("postMillis").asLong());
      printApi(out, a.get("api"));
      out.printf("  GET of the app with its %,d tasks: %,d ms (tasksRunning %,d)%n", a.get("instances").asInt(),
          a.get("getBigAppMillis").asLong(), a.get("tasksRunningByApi").asInt());
    }
    JsonNode c = f.get("c1m");
    if (c != null) {
      out.printf("C1M: %,d apps × %,d instances = %,d tasks (zone constraints) on %,d agents, persisted%n",
          c.get("apps").asInt(), c.get("instancesPerApp").asInt(), c.get("tasks").asLong(), c.get("agents").asInt());
      out.printf("  placed:  %,d tasks/s (all after %,d ms)   (target >= 20,000/s; Nomad C1M: 3,750/s)%n",
          c.get("placedPerSecond").asLong(), c.get("allPlacedMillis").asLong());
      out.printf("  RUNNING: %,d tasks/s (all after %,d ms); all POSTed after %,d ms; heap after GC %,d MiB%n",
          c.get("runningPerSecond").asLong(), c.get("allRunningMillis").asLong(), c.get("allPostedMillis").asLong(),
          c.get("usedHeapAfterGcMiB").asLong());
    }
    JsonNode b = f.get("b");
    if (b != null) {
      out.printf("B: %,d single-instance apps from %d clients on %,d agents%n", b.get("apps").asInt(),
          b.get("clients").asInt(), b.get("agents").asInt());
      out.printf("  first POST → all RUNNING: %,d ms   (target < %.0f s)%n", b.get("allRunningMillis").asLong(),
          TARGET_B_SECONDS);
      out.printf("  all POSTs answered after: %,d ms%n", b.get("allPostedMillis").asLong());
      printApi(out, b.get("api"));
    }
    JsonNode h = f.get("heap");
    if (h != null) {
      out.printf("Heap: %,d apps × %d instances = %,d tasks on %,d agents (deployed in %,d ms)%n",
          h.get("apps").asInt(), h.get("instancesPerApp").asInt(), h.get("tasks").asLong(), h.get("agents").asInt(),
          h.get("allRunningMillis").asLong());
      out.printf("  used heap after GC: %,d MiB before the cluster, %,d MiB idle, %,d MiB loaded%n",
          h.get("beforeClusterMiB").asLong(), h.get("idleClusterMiB").asLong(), h.get("loadedMiB").asLong());
      out.printf("  held by: service scheduler %,d MiB (target < %,d MiB), master %,d MiB, store %,d MiB,"
              + " simulated agents %,d MiB%n", h.get("schedulerMiB").asLong(), TARGET_HEAP_MIB,
          h.get("masterMiB").asLong(), h.get("storeMiB").asLong(), h.get("agentsMiB").asLong());
    }
    out.flush();
  }

  private static void printApi(PrintWriter out, JsonNode api) {
    out.printf("  API during the deploy (target p99 < %.0f ms):%n", TARGET_P99_MILLIS);
    for (ApiLoad.Kind k : ApiLoad.Kind.values()) {
      JsonNode n = api.get(k.name());
      out.printf("    %-10s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d requests, %d errors)%n",
          k.name().toLowerCase(Locale.ROOT).replace('_', ' '), n.get("p50Millis").asDouble(),
          n.get("p99Millis").asDouble(), n.get("maxMillis").asDouble(), n.get("count").asInt(),
          n.get("errors").asInt());
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " must be one of " + Arrays.toString(type.getEnumConstants())
          .toLowerCase(Locale.ROOT) + ", got '" + value + "'");
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temp dir left behind is harmless
    }
  }
}

package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.agent.AgentConfig;
import dev.corral.common.Json;
import dev.corral.dist.node.AgentNode;
import dev.corral.dist.node.MasterNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Launch throughput: a fresh single-node cluster (the `corral up` code path) runs one app of N `sleep 3600`
 * instances; the figures are the time from the POST to all RUNNING, tasks/s, per-task submit→RUNNING
 * percentiles, and the same N processes spawned directly from Java into cgroups for comparison.
 */
@Command(name = "launch",
    description = "Launch N sleep tasks on one agent and compare with spawning them directly.")
public final class LaunchBenchmark implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--tasks", defaultValue = "1000", description = "How many tasks (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for all RUNNING (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--warmup", defaultValue = "200",
      description = "Tasks launched and removed first, so that the figures are of a warm cluster, not of the"
          + " JIT compiler (default: ${DEFAULT-VALUE}; 0 measures a cold start).")
  int warmup;

  @Option(names = "--work-dir",
      description = "Where the cluster keeps its state and sandboxes (default: a new temporary directory)."
          + " The filesystem matters: each task creates a few files.")
  Path workDir;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  /** Memory of each task in MB; containers need a little more than a bare sleep. */
  int taskMemMb = 4;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir != null ? Files.createDirectories(workDir).resolve("corral-bench-" + ProcessHandle.current().pid())
        : Files.createTempDirectory("corral-bench-");
    Files.createDirectories(dir);
    ObjectNode figures = Json.mapper().createObjectNode();
    figures.put("tasks", tasks);
    figures.put("workDir", dir.toString());
    figures.put("filesystem", Files.getFileStore(dir).type());
    measureCluster(dir, List.of("process"), figures);
    DirectSpawn.Result direct = DirectSpawn.run(tasks, dir.resolve("direct"));
    figures.put("directMillis", direct.totalMillis());
    figures.put("directIsolation", direct.isolation());
    double ratio = figures.get("allRunningMillis").asDouble() / Math.max(1, direct.totalMillis());
    figures.put("ratio", Math.round(ratio * 100) / 100.0);
    print(out, figures);
    deleteRecursively(dir);
    return 0;
  }

  /**
   * A fresh single-node cluster whose agent uses {@code containerizers}; puts the launch figures of
   * {@link #tasks} sleep tasks into {@code figures}.
   */
  void measureCluster(Path dir, List<String> containerizers, ObjectNode figures) throws Exception {
    try (MasterNode master = new MasterNode(new MasterNode.Options(dir.resolve("master"), null, "127.0.0.1", 0, 0,
        "127.0.0.1")).start()) {
      // Enough room for N tasks of cpus 0.001 / mem 4 whatever this machine has.
      String resources = "cpus:" + Math.max(2, tasks * 0.001 + 1) + ";mem:" + (tasks * taskMemMb + 1024) + ";disk:1024;ports:[31000-32000]";
      AgentConfig config = AgentConfig.defaults(dir.resolve("agent")).withHostname("127.0.0.1").withResources(resources)
          .withContainerizers(containerizers);
      AgentNode agent = new AgentNode(config, master.inProcessChannel()).start();
      try {
        figures.put("isolation", agent.agent().describeIsolation());
        runCorral(master.httpPort(), figures);
      } finally {
        agent.stop(true);
      }
    }
  }

  private void runCorral(int port, ObjectNode figures) throws Exception {
    String base = "http://127.0.0.1:" + port;
    waitForOffers(base);
    if (warmup > 0) {
      launchAll(base, "/bench/warmup", warmup);
      removeAndWait(base, "/bench/warmup");
    }
    figures.put("warmupTasks", warmup);
    launchAll(base, "/bench/sleep", tasks, figures);
    removeAndWait(base, "/bench/sleep");
  }

  private void launchAll(String base, String appId, int count) throws Exception {
    launchAll(base, appId, count, Json.mapper().createObjectNode());
  }

  /** Posts an app of {@code count} sleep instances and waits until all run; records the figures. */
  private void launchAll(String base, String appId, int count, ObjectNode figures) throws Exception {
    ObjectNode app = Json.mapper().createObjectNode()
        .put("id", appId).put("cmd", "sleep 3600").put("cpus", 0.001).put("mem", taskMemMb).put("disk", 0)
        .put("instances", count);
    app.putArray("portDefinitions");
    Instant submitted = Instant.now();
    long start = System.nanoTime();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/apps"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(app.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("POST /v2/apps answered " + created.statusCode() + ": " + created.body());
    }
    long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
    // Poll the cheap counts, not the task list: serialising 1,000 tasks every few ms would steal the CPU
    // the launch needs. Per-task times come from each task's startedAt, so the poll interval only bounds
    // the total's resolution.
    int runningCount;
    while ((runningCount = runningCount(base, appId)) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + runningCount + " of " + count + " tasks RUNNING after "
            + timeoutSeconds + " s");
      }
      Thread.sleep(20);
    }
    long allRunningMillis = (System.nanoTime() - start) / 1_000_000;
    JsonNode running = tasksOf(base, "/v2/apps" + appId + "/tasks?status=running");
    long[] perTask = new long[running.size()];
    for (int i = 0; i < perTask.length; i++) {
      perTask[i] = Duration.between(submitted, Instant.parse(running.get(i).get("startedAt").asText())).toMillis();
    }
    Percentiles p = new Percentiles(perTask);
    figures.put("allRunningMillis", allRunningMillis);
    figures.put("tasksPerSecond", Math.round(count * 1000.0 / Math.max(1, allRunningMillis)));
    figures.put("p50Millis", p.at(50));
    figures.put("p99Millis", p.at(99));
  }

  /** Removes the app and waits until its tasks are gone and the kernel has had a moment to free cgroups. */
  private void removeAndWait(String base, String appId) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create(base + "/v2/apps" + appId)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (tasksOf(base, "/v2/tasks").size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(2_000);
  }

  /** Waits until the agent has registered, so that the figure measures launching, not cluster start-up. */
  private void waitForOffers(String base) throws Exception {
    ObjectNode probe = Json.mapper().createObjectNode().put("id", "/bench/probe").put("cmd", "sleep 3600")
        .put("cpus", 0.001).put("mem", 4).put("instances", 1);
    probe.putArray("portDefinitions");
    http.send(HttpRequest.newBuilder(URI.create(base + "/v2/apps")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(probe.toString())).build(), HttpResponse.BodyHandlers.discarding());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (tasksOf(base, "/v2/apps/bench/probe/tasks").size() < 1 || !"TASK_RUNNING".equals(
        tasksOf(base, "/v2/apps/bench/probe/tasks").get(0).path("state").asText())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent did not run a probe task within 60 s");
      }
      Thread.sleep(20);
    }
    http.send(HttpRequest.newBuilder(URI.create(base + "/v2/apps/bench/probe")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private int runningCount(String base, String appId) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/apps" + appId)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? Json.mapper().readTree(r.body()).path("app").path("tasksRunning").asInt() : 0;
  }

  private JsonNode tasksOf(String base, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return Json.mapper().createArrayNode();
    }
    JsonNode all = Json.mapper().readTree(r.body()).path("tasks");
    com.fasterxml.jackson.databind.node.ArrayNode out = Json.mapper().createArrayNode();
    for (JsonNode t : all) {
      if (!path.contains("status=running") || "TASK_RUNNING".equals(t.path("state").asText())) {
        out.add(t);
      }
    }
    return out;
  }

  private void print(PrintWriter out, ObjectNode f) {
    if (json) {
      out.println(f.toPrettyString());
      return;
    }
    out.printf("Launch benchmark: %d tasks (sleep 3600, cpus 0.001, mem 4) on one agent, after %d warm-up tasks%n",
        tasks, warmup);
    out.printf("  isolation:                 %s%n", f.get("isolation").asText());
    out.printf("  work dir:                  %s (%s)%n", f.get("workDir").asText(), f.get("filesystem").asText());
    out.printf("  POST → all RUNNING:        %d ms%n", f.get("allRunningMillis").asLong());
    out.printf("  throughput:                %d tasks/s%n", f.get("tasksPerSecond").asLong());
    out.printf("  submit → RUNNING per task: p50 %d ms, p99 %d ms%n", f.get("p50Millis").asLong(), f.get("p99Millis").asLong());
    out.printf("  direct spawn from Java:    %d ms (%s)%n", f.get("directMillis").asLong(), f.get("directIsolation").asText());
    out.printf("  ratio Corral / direct:     %.2fx%n", f.get("ratio").asDouble());
    out.flush();
  }

  static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temp dir left behind is harmless
    }
  }
}

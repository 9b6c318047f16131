package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.TaskHealth;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.StoreOp;
import dev.corral.state.ZkStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The persisted store alone, as the service scheduler uses it: instance records (a running task's, encoded
 * as the scheduler encodes them) written one commit each through {@link ZkStore}'s group-committing writer
 * into an embedded ZooKeeper on disk (fsync on), with many commits in flight as a busy scheduler has. Nothing
 * else runs in the JVM. Prints the writes per second it absorbed and what that allows for placement at the
 * scheduler's writes per task: a ceiling for the placement benchmark (c1m) on this machine.
 */
@Command(name = "store", description = "Instance writes per second the persisted store absorbs, and the"
    + " placement ceiling that sets.")
public final class StoreBenchmark implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--writes", defaultValue = "300000", description = "Instance writes (default: ${DEFAULT-VALUE}).")
  int writes;

  @Option(names = "--instances", defaultValue = "100000",
      description = "Distinct instance nodes; the first write of each creates it (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--in-flight", defaultValue = "20000",
      description = "Commits waiting at most at once (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--writes-per-task", defaultValue = "2",
      description = "Instance writes the scheduler makes per task placed and running: placed, RUNNING"
          + " (default: ${DEFAULT-VALUE}).")
  int writesPerTask;

  @Option(names = "--work-dir", description = "Where ZooKeeper keeps its data (default: a temporary directory).")
  Path workDir;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("corral-bench-store");
    String[] ids = new String[instances];
    for (int i = 0; i < instances; i++) {
      ids[i] = "bench_store.instance-" + UUID.randomUUID();
    }
    byte[] sample = InstanceCodec.toBytes(running(ids[0]));
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(30))) {
      // a first pass creates the nodes (as placing does); then they are overwritten (as statuses do)
      run(store, ids, Math.min(writes, instances) / 10); // warm-up: the JIT, ZooKeeper's first log file
      long start = System.nanoTime();
      run(store, ids, writes);
      double seconds = (System.nanoTime() - start) / 1e9;
      double perSecond = writes / seconds;
      int stored = store.children(ServicePaths.INSTANCES).size();
      if (stored != Math.min(writes, instances)) {
        throw new IllegalStateException(stored + " instance nodes stored, expected " + Math.min(writes, instances));
      }
      if (json) {
        ObjectNode f = Json.mapper().createObjectNode();
        f.put("writes", writes).put("bytesPerWrite", sample.length).put("nodes", stored).put("inFlight", inFlight)
            .put("seconds", seconds).put("writesPerSecond", perSecond).put("writesPerTask", writesPerTask)
            .put("tasksPerSecondCeiling", perSecond / writesPerTask).put("targetTasksPerSecond", 20_000);
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(f));
        return 0;
      }
      out.printf(Locale.ROOT, "Store benchmark: %,d instance writes (%,d B each, %,d nodes) through the store's"
          + " writer into embedded ZooKeeper on disk, %,d commits in flight, %d cores%n", writes, sample.length,
          instances, inFlight, Runtime.getRuntime().availableProcessors());
      out.printf(Locale.ROOT, "  %,.0f writes/s (%.1f s)%n", perSecond, seconds);
      out.printf(Locale.ROOT, "  placement ceiling at %d writes per task: %,.0f tasks/s (target >= 20,000/s)%n",
          writesPerTask, perSecond / writesPerTask);
    }
    return 0;
  }

  /** {@code count} single-write commits over the nodes in turn, at most {@link #inFlight} waiting. */
  private void run(ZkStore store, String[] ids, int count) throws InterruptedException {
    Semaphore window = new Semaphore(inFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < count && failure.get() == null; i++) {
      window.acquire();
      String id = ids[i % ids.length];
      byte[] data = InstanceCodec.toBytes(running(id));
      CompletableFuture<Void> done = store.commit(List.of(StoreOp.put(ServicePaths.instance(id), data)));
      done.whenComplete((v, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
        window.release();
      });
    }
    window.acquire(inFlight);
    if (failure.get() != null) {
      throw new IllegalStateException("a store write failed", failure.get());
    }
  }

  /** A running task's instance, with what the scheduler records for one: agent, host, port, attributes. */
  private static Instance running(String id) {
    Instant now = Instant.now();
    LaunchedTask task = new LaunchedTask(id.replace(".instance-", ".") + ".1",
        "7c6d1e2a-4b0f-4a8e-9d1c-2f3e4a5b6c7d-S" + (id.hashCode() & 0xfff), "sim-0" + (id.hashCode() & 0xfff),
        List.of(31000 + (id.hashCode() & 0xff)), Map.of("zone", "z" + (id.hashCode() & 7)),
        "2026-11-26T00:00:00.000Z", now, now, TaskState.TASK_RUNNING, "", TaskHealth.NONE);
    return new Instance(id, "/bench/store", "2026-11-26T00:00:00.000Z", Goal.RUNNING, InstanceState.RUNNING, now,
        task);
  }
}

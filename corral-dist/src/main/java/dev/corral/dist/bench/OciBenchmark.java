package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.agent.cgroups.CgroupLimits;
import dev.corral.agent.oci.ContainerInit;
import dev.corral.agent.oci.ContainerSpec;
import dev.corral.agent.oci.OciConfig;
import dev.corral.agent.oci.OciRuntime;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The price of containers: N sleep tasks launched through a fresh single-node cluster with the process
 * containerizer, then with the oci one, then N containers of the same kind of bundle started with bare
 * {@code runc run --detach} from four threads (the agent's worker count), all in one run.
 */
@Command(name = "oci", description = "Launch N tasks with the process and the oci containerizer, next to bare runc.")
public final class OciBenchmark implements Callable<Integer> {
  private static final int THREADS = 4;

  @Spec
  CommandSpec spec;

  @Option(names = "--tasks", defaultValue = "200", description = "Tasks per containerizer (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--warmup", defaultValue = "50", description = "Tasks launched and removed first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--timeout", defaultValue = "300", description = "Seconds to wait for all RUNNING (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--oci-runtime", defaultValue = "runc", description = "runc or crun (default: ${DEFAULT-VALUE}).")
  String runtimeName;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("corral-bench-oci-");
    OciRuntime runtime = OciRuntime.find(runtimeName, dir.resolve("bare-state"));
    if (runtime == null) {
      out.println(runtimeName + " is not installed");
      return 1;
    }
    LaunchBenchmark launch = new LaunchBenchmark();
    launch.tasks = tasks;
    launch.warmup = warmup;
    launch.timeoutSeconds = timeoutSeconds;
    launch.taskMemMb = 32; // runc's own init needs room before the command replaces it
    ObjectNode process = Json.mapper().createObjectNode();
    launch.measureCluster(dir.resolve("process"), List.of("process"), process);
    ObjectNode oci = Json.mapper().createObjectNode();
    launch.measureCluster(dir.resolve("oci"), List.of("oci"), oci);
    long[] bare = bareRuns(runtime, dir.resolve("bare"));
    Percentiles p = new Percentiles(bare[0] == 0 ? new long[] {0} : java.util.Arrays.copyOfRange(bare, 1, bare.length));

    out.printf("%d tasks per containerizer, %d warm-up tasks, %s%n", tasks, warmup, runtime.name());
    row(out, "process", process);
    row(out, "oci", oci);
    out.printf("  %-8s all running %6d ms  %5d tasks/s  start p50 %5d ms  p99 %5d ms%n", "bare " + runtime.name(),
        bare[0], Math.round(tasks * 1000.0 / Math.max(1, bare[0])), p.at(50), p.at(99));
    out.printf("  oci / bare runtime (all running): %.2f; oci / process: %.2f%n",
        oci.get("allRunningMillis").asDouble() / Math.max(1, bare[0]),
        oci.get("allRunningMillis").asDouble() / Math.max(1, process.get("allRunningMillis").asLong()));
    out.flush();
    LaunchBenchmark.deleteRecursively(dir);
    return 0;
  }

  private static void row(PrintWriter out, String name, ObjectNode f) {
    out.printf("  %-8s all running %6d ms  %5d tasks/s  start p50 %5d ms  p99 %5d ms%n", name,
        f.get("allRunningMillis").asLong(), f.get("tasksPerSecond").asLong(), f.get("p50Millis").asLong(),
        f.get("p99Millis").asLong());
  }

  /**
   * {@code runc run --detach} of N bundles like the agent's (host root read-only, sleep under the same init),
   * four at a time. Returns the total in ms followed by each start's latency; deletes every container after.
   */
  private long[] bareRuns(OciRuntime runtime, Path dir) throws Exception {
    List<Path> bundles = new ArrayList<>();
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    for (int i = 0; i < tasks; i++) {
      Path bundle = Files.createDirectories(dir.resolve("b" + i).resolve(OciConfig.ROOTFS)).getParent();
      ContainerSpec c = new ContainerSpec(ContainerInit.wrap(List.of("sleep", "3600")),
          Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), sandbox, 0, 0, "bench",
          sandbox, "/corral/bare-bench-" + i, new CgroupLimits(0.001, 32, CgroupLimits.DEFAULT_PIDS_MAX),
          Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")));
      Json.mapper().writeValue(bundle.resolve("config.json").toFile(), OciConfig.render(c));
      bundles.add(bundle);
    }
    long[] result = new long[tasks + 1];
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    try {
      List<Future<Long>> runs = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        Path bundle = bundles.get(i);
        String id = "bare-bench-" + i;
        runs.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          List<String> argv = new ArrayList<>(List.of(runtime.binary(), "--root", runtime.stateRoot().toString(),
              "run", "--detach", "--bundle", bundle.toString(), id));
          Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                  new java.io.File("/dev/null"))).start();
          if (p.waitFor() != 0) {
            throw new IllegalStateException(runtime.name() + " run " + id + " failed");
          }
          return (System.nanoTime() - t0) / 1_000_000;
        }));
      }
      for (int i = 0; i < tasks; i++) {
        result[i + 1] = runs.get(i).get();
      }
      result[0] = (System.nanoTime() - start) / 1_000_000;
    } finally {
      List<Future<?>> deletes = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        String id = "bare-bench-" + i;
        deletes.add(pool.submit(() -> runtime.delete(id)));
      }
      for (Future<?> f : deletes) {
        f.get();
      }
      pool.shutdown();
    }
    return result;
  }
}

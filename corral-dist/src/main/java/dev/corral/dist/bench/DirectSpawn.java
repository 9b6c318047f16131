package dev.corral.dist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The baseline of the launch benchmark: N `sleep 3600` processes spawned straight from Java, each first
 * placed into its own cpu and memory cgroup (when running as root on cgroup v1 or v2), with no scheduler,
 * no store and no agent in between. Deliberately independent of the agent's code: it is the yardstick.
 */
final class DirectSpawn {
  record Result(long totalMillis, String isolation) {}

  private DirectSpawn() {}

  static Result run(int count, Path scratch) throws Exception {
    Files.createDirectories(scratch);
    List<Path> cgroupRoots = cgroupRoots();
    String name = "corral-bench-" + ProcessHandle.current().pid();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Process> processes = new ArrayList<>();
    long start = System.nanoTime();
    try {
      List<Future<Process>> spawned = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        spawned.add(pool.submit(() -> spawn(cgroupRoots, name + "/" + n, scratch)));
      }
      for (Future<Process> f : spawned) {
        processes.add(f.get());
      }
      long totalMillis = (System.nanoTime() - start) / 1_000_000;
      String isolation = (cgroupRoots.isEmpty() ? "no cgroups" : "cgroups " + cgroupRoots) + ", " + threads + " spawning threads";
      return new Result(totalMillis, isolation);
    } finally {
      pool.shutdownNow();
      for (Process p : processes) {
        p.destroyForcibly();
      }
      for (Process p : processes) {
        p.waitFor();
      }
      for (Path root : cgroupRoots) {
        removeCgroups(root.resolve(name));
      }
    }
  }

  private static Process spawn(List<Path> roots, String cgroup, Path cwd) throws IOException {
    StringBuilder join = new StringBuilder();
    for (Path root : roots) {
      Path dir = root.resolve(cgroup);
      Files.createDirectories(dir);
      if (root.getFileName().toString().equals("memory")) {
        Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(4L << 20));
      } else if (root.getFileName().toString().equals("cpu")) {
        Files.writeString(dir.resolve("cpu.shares"), "2");
      } else {
        Files.writeString(dir.resolve("memory.max"), Long.toString(4L << 20));
      }
      join.append("echo $$ > ").append(dir.resolve("cgroup.procs")).append("; ");
    }
    return new ProcessBuilder("/bin/sh", "-c", join + "exec sleep 3600")
        .directory(cwd.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** cgroup v1 cpu + memory hierarchies, or the v2 root; empty when not root or none is writable. */
  private static List<Path> cgroupRoots() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    Path fs = Path.of("/sys/fs/cgroup");
    if (Files.exists(fs.resolve("cgroup.controllers"))) {
      return Files.isWritable(fs) ? List.of(fs) : List.of();
    }
    List<Path> roots = new ArrayList<>();
    for (String controller : new String[] {"cpu", "memory"}) {
      if (Files.isWritable(fs.resolve(controller))) {
        roots.add(fs.resolve(controller));
      }
    }
    return roots;
  }

  private static void removeCgroups(Path dir) {
    try (var children = Files.list(dir)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        if (Files.isDirectory(child)) {
          Files.deleteIfExists(child);
        }
      }
    } catch (IOException ignored) {
      // nothing to remove
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // leave an empty cgroup behind rather than fail the benchmark
    }
  }
}

package dev.corral.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v2: one unified hierarchy at {@code ROOT}. Tasks live in {@code ROOT/corral.slice/TASK_ID} with
 * cpu, memory and pids enabled down the path through {@code cgroup.subtree_control}. {@code corral.slice}
 * never holds a process itself, which v2's "no internal processes" rule requires. Immutable.
 *
 * <p>Devices: v2 has no devices files; access is decided by an eBPF program of type
 * {@code BPF_PROG_TYPE_CGROUP_DEVICE} attached to the cgroup, which takes the bpf(2) system call and a
 * program assembler the JVM does not offer. So denied devices ({@link CgroupLimits#deniedDevices}) are not
 * enforced here: process tasks on a v2 host are kept off GPUs they were not given by
 * {@code CUDA_VISIBLE_DEVICES} only, which CUDA honours but a program opening {@code /dev/nvidia*} itself does
 * not. OCI tasks are isolated on v2 too: runc writes the eBPF program from the bundle's device rules.
 */
final class CgroupsV2 implements Cgroups {
  static final String PARENT = "corral.slice";
  private static final List<String> WANTED = List.of("cpu", "memory", "pids");

  private static final java.util.concurrent.atomic.AtomicBoolean DEVICES_WARNED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Path parent;
  private final List<String> controllers;

  private CgroupsV2(Path parent, List<String> controllers) {
    this.parent = parent;
    this.controllers = List.copyOf(controllers);
  }

  /**
   * Enables the controllers we use for {@code ROOT}'s children and creates {@code corral.slice}. Returns
   * null when none of them is available; throws when they cannot be enabled (e.g. inside a container whose
   * cgroup root holds processes).
   */
  static CgroupsV2 probe(Path root) throws IOException {
    List<String> available = CgroupFiles.words(root.resolve("cgroup.controllers"));
    List<String> use = new ArrayList<>();
    for (String c : WANTED) {
      if (available.contains(c)) {
        use.add(c);
      }
    }
    if (use.isEmpty()) {
      return null;
    }
    enable(root, use);
    Path parent = root.resolve(PARENT);
    Files.createDirectories(parent);
    enable(parent, use);
    return new CgroupsV2(parent, use);
  }

  private static void enable(Path dir, List<String> controllers) throws IOException {
    List<String> enabled = CgroupFiles.words(dir.resolve("cgroup.subtree_control"));
    for (String c : controllers) {
      if (!enabled.contains(c)) {
        CgroupFiles.write(dir.resolve("cgroup.subtree_control"), "+" + c);
      }
    }
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public String describe() {
    return "cgroups v2 (" + String.join(", ", controllers) + ") under " + parent;
  }

  @Override
  public TaskCgroup create(String taskId, CgroupLimits limits) throws IOException {
    if (!limits.deniedDevices().isEmpty() && DEVICES_WARNED.compareAndSet(false, true)) {
      org.slf4j.LoggerFactory.getLogger(CgroupsV2.class).warn("cgroup v2: process tasks are not denied the GPUs they"
          + " were not given (that needs an eBPF device program); CUDA_VISIBLE_DEVICES only. The oci"
          + " containerizer isolates GPUs on v2.");
    }
    Path dir = parent.resolve(taskId);
    Files.createDirectories(dir);
    try {
      if (controllers.contains("cpu") && limits.cpus() > 0) {
        CgroupFiles.write(dir.resolve("cpu.weight"), Long.toString(limits.cpuWeight()));
        CgroupFiles.write(dir.resolve("cpu.max"), limits.cfsQuotaUs() + " " + CgroupLimits.CFS_PERIOD_US);
      }
      if (controllers.contains("memory") && limits.memMb() > 0) {
        CgroupFiles.write(dir.resolve("memory.max"), Long.toString(limits.memBytes()));
        CgroupFiles.writeIfPresent(dir.resolve("memory.swap.max"), "0");
      }
      if (controllers.contains("pids") && limits.pidsMax() > 0) {
        CgroupFiles.write(dir.resolve("pids.max"), Long.toString(limits.pidsMax()));
      }
    } catch (IOException e) {
      CgroupFiles.removeQuietly(List.of(dir));
      throw e;
    }
    return existing(taskId);
  }

  @Override
  public TaskCgroup existing(String taskId) {
    Path dir = parent.resolve(taskId);
    Path events = controllers.contains("memory") ? dir.resolve("memory.events") : null;
    return new TaskCgroup(List.of(dir), events, dir.resolve("cgroup.kill"));
  }

  @Override
  public CgroupPaths paths(String taskId) {
    Path dir = parent.resolve(taskId);
    Map<String, Path> dirs = new LinkedHashMap<>();
    controllers.forEach(c -> dirs.put(c, dir));
    dirs.put("cgroup", dir);
    return new CgroupPaths(2, dirs);
  }
}

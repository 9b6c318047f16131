package dev.corral.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v1: one hierarchy per controller, mounted at {@code ROOT/cpu} (or {@code cpu,cpuacct}),
 * {@code ROOT/memory} and {@code ROOT/pids}, plus {@code ROOT/cpuacct} when it is a hierarchy of its own
 * (for the tasks' cpu time, see {@link #paths}) and {@code ROOT/devices} (to deny tasks the GPUs they were not
 * given). Each task gets {@code corral/TASK_ID} in every hierarchy found.
 * Immutable.
 */
final class CgroupsV1 implements Cgroups {
  static final String PARENT = "corral";

  /** Controller name to its {@code corral} parent directory, in a fixed order. */
  private final Map<String, Path> parents;

  private CgroupsV1(Map<String, Path> parents) {
    this.parents = parents;
  }

  /**
   * Finds the controllers under {@code root} and creates their {@code corral} parents. Returns null when
   * none of cpu, memory and pids is mounted; throws when one is mounted but not writable.
   */
  static CgroupsV1 probe(Path root) throws IOException {
    Map<String, Path> found = new LinkedHashMap<>();
    Path cpu = firstWith(root, "cpu.shares", "cpu", "cpu,cpuacct", "cpuacct,cpu");
    if (cpu != null) {
      found.put("cpu", cpu.resolve(PARENT));
    }
    if (cpu == null || !Files.exists(cpu.resolve("cpuacct.usage"))) {
      // a separate cpuacct hierarchy: join it too, or the task's cpu time cannot be read
      Path cpuacct = firstWith(root, "cpuacct.usage", "cpuacct");
      if (cpuacct != null) {
        found.put("cpuacct", cpuacct.resolve(PARENT));
      }
    }
    Path memory = firstWith(root, "memory.limit_in_bytes", "memory");
    if (memory != null) {
      found.put("memory", memory.resolve(PARENT));
    }
    Path pids = firstWith(root, "cgroup.procs", "pids");
    if (pids != null) {
      found.put("pids", pids.resolve(PARENT));
    }
    Path devices = firstWith(root, "devices.deny", "devices");
    if (devices != null) {
      found.put("devices", devices.resolve(PARENT));
    }
    if (found.isEmpty()) {
      return null;
    }
    for (Path parent : found.values()) {
      Files.createDirectories(parent);
    }
    return new CgroupsV1(found);
  }

  private static Path firstWith(Path root, String marker, String... names) {
    for (String name : names) {
      Path dir = root.resolve(name);
      if (Files.exists(dir.resolve(marker))) {
        return dir;
      }
    }
    return null;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public String describe() {
    return "cgroups v1 (" + String.join(", ", parents.keySet()) + ")";
  }

  @Override
  public TaskCgroup create(String taskId, CgroupLimits limits) throws IOException {
    List<Path> created = new ArrayList<>();
    try {
      for (Map.Entry<String, Path> e : parents.entrySet()) {
        Path dir = e.getValue().resolve(taskId);
        Files.createDirectories(dir);
        created.add(dir);
        applyLimits(e.getKey(), dir, limits);
      }
    } catch (IOException e) {
      CgroupFiles.removeQuietly(created);
      throw e;
    }
    return existing(taskId);
  }

  private static void applyLimits(String controller, Path dir, CgroupLimits limits) throws IOException {
    switch (controller) {
      case "cpu":
        if (limits.cpus() > 0) {
          CgroupFiles.write(dir.resolve("cpu.shares"), Long.toString(limits.cpuShares()));
          CgroupFiles.write(dir.resolve("cpu.cfs_period_us"), Long.toString(CgroupLimits.CFS_PERIOD_US));
          CgroupFiles.write(dir.resolve("cpu.cfs_quota_us"), Long.toString(limits.cfsQuotaUs()));
        }
        break;
      case "memory":
        if (limits.memMb() > 0) {
          String bytes = Long.toString(limits.memBytes());
          CgroupFiles.write(dir.resolve("memory.limit_in_bytes"), bytes);
          // memory+swap equal to memory: no swapping past the limit (only where swap accounting is on)
          CgroupFiles.writeIfPresent(dir.resolve("memory.memsw.limit_in_bytes"), bytes);
        }
        break;
      case "cpuacct":
        break; // accounting only: no limits
      case "pids":
        if (limits.pidsMax() > 0) {
          CgroupFiles.write(dir.resolve("pids.max"), Long.toString(limits.pidsMax()));
        }
        break;
      case "devices":
        // A new cgroup inherits its parent's rules (on a host: everything allowed); each line written to
        // devices.deny takes one device away, before any process of the task joins.
        for (DeviceRule rule : limits.deniedDevices()) {
          CgroupFiles.write(dir.resolve("devices.deny"), rule.v1());
        }
        break;
      default:
        throw new IllegalStateException("unknown controller " + controller);
    }
  }

  @Override
  public TaskCgroup existing(String taskId) {
    List<Path> dirs = new ArrayList<>();
    parents.values().forEach(p -> dirs.add(p.resolve(taskId)));
    Path memory = parents.get("memory");
    Path oom = memory == null ? null : memory.resolve(taskId).resolve("memory.oom_control");
    return new TaskCgroup(dirs, oom, null);
  }

  @Override
  public CgroupPaths paths(String taskId) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    parents.forEach((controller, parent) -> dirs.put(controller, parent.resolve(taskId)));
    Path cpu = dirs.get("cpu");
    if (!dirs.containsKey("cpuacct") && cpu != null) {
      dirs.put("cpuacct", cpu); // cpu,cpuacct mounted together: one directory has both files
    }
    return new CgroupPaths(1, dirs);
  }
}

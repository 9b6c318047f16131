package dev.corral.agent.cgroups;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where one task's cgroup control files are, for readers such as the metrics: v1 has one directory per
 * controller ({@code cpu}, {@code cpuacct}, {@code memory}, {@code pids}; {@code cpu} and {@code cpuacct}
 * may be one directory), v2 one directory for all. The directories may not exist (the task ended, or ran
 * before the controller was used). Immutable.
 *
 * @param version 1, 2, or 0 when the task has no cgroups
 */
public record CgroupPaths(int version, Map<String, Path> dirs) {
  public static final CgroupPaths NONE = new CgroupPaths(0, Map.of());

  public CgroupPaths {
    dirs = Map.copyOf(dirs);
  }

  /** The directory with {@code controller}'s files, or null when the task is not under that controller. */
  public Path dir(String controller) {
    return dirs.get(controller);
  }
}

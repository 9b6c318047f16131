package dev.corral.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how tasks are isolated on this host. v2 when {@code ROOT/cgroup.controllers} exists (pure v2);
 * otherwise v1 controllers mounted under {@code ROOT} (a hybrid host's empty {@code unified} v2 mount is
 * ignored); otherwise none, with the reason. Only root may create cgroups and move processes into them.
 * Stateless.
 */
public final class CgroupDetector {
  private static final Logger log = LoggerFactory.getLogger(CgroupDetector.class);
  public static final Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");

  private CgroupDetector() {}

  public static Cgroups detect(boolean enabled) {
    return detect(enabled, isRoot(), DEFAULT_ROOT);
  }

  public static Cgroups detect(boolean enabled, boolean root, Path cgroupRoot) {
    if (!enabled) {
      return new NoCgroups("disabled by configuration");
    }
    if (!root) {
      return new NoCgroups("not running as root");
    }
    try {
      if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
        CgroupsV2 v2 = CgroupsV2.probe(cgroupRoot);
        return v2 != null ? v2 : new NoCgroups("cgroup v2 at " + cgroupRoot + " offers none of cpu, memory, pids");
      }
      CgroupsV1 v1 = CgroupsV1.probe(cgroupRoot);
      return v1 != null ? v1 : new NoCgroups("no cgroup v1 or v2 controllers under " + cgroupRoot);
    } catch (IOException | RuntimeException e) {
      log.warn("cgroups unusable, running tasks without them", e);
      return new NoCgroups("cannot set up cgroups under " + cgroupRoot + ": " + e.getMessage());
    }
  }

  /** Effective uid 0, from {@code /proc/self/status} (no JNI, no extra module). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return f.length > 1 && f[1].equals("0");
        }
      }
    } catch (IOException e) {
      // not Linux, or /proc hidden: behave as non-root
    }
    return false;
  }
}

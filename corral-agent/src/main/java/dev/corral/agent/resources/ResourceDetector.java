package dev.corral.agent.resources;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What this node offers: detected cpus, mem, disk and the default port range, with any resource named in
 * the {@code --resources} string replacing the detected one entirely (all roles), as in Mesos: naming
 * {@code cpus(ads):2} alone means two cpus, all reserved for {@code ads}. Stateless.
 *
 * <p>Reserves: memory keeps 1 GB for the OS and the agent (half of it on hosts under 2 GB, never offering
 * less than 256 MB); disk keeps 10% of the free space, at most 5 GB. GPUs: the count the GPU discovery found
 * ({@code dev.corral.agent.gpu}); {@code gpus:0} offers none.
 */
public final class ResourceDetector {
  public static final long DEFAULT_PORTS_BEGIN = 31000;
  public static final long DEFAULT_PORTS_END = 32000;

  private ResourceDetector() {}

  /** Detected resources overridden by {@code overrides} (null: none), normalised; zero scalars dropped. */
  public static List<Resource> resolve(String overrides, Path workDir) {
    return resolve(overrides, workDir, 0);
  }

  /** As {@link #resolve(String, Path)}, with {@code gpus} GPUs found on this node. */
  public static List<Resource> resolve(String overrides, Path workDir, int gpus) {
    List<Resource> given = overrides == null ? List.of() : ResourceParser.parse(overrides);
    Set<String> named = new HashSet<>();
    given.forEach(r -> named.add(r.getName()));
    List<Resource> all = new ArrayList<>(given);
    List<Resource> detected = new ArrayList<>(detect(workDir, named));
    if (gpus > 0 && !named.contains("gpus")) {
      detected.add(scalar("gpus", gpus));
    }
    for (Resource r : detected) {
      if (!named.contains(r.getName())) {
        all.add(r);
      }
    }
    return ResourceSet.fromProto(all).toProto();
  }

  private static List<Resource> detect(Path workDir, Set<String> skip) {
    List<Resource> out = new ArrayList<>();
    if (!skip.contains("cpus")) {
      out.add(scalar("cpus", Runtime.getRuntime().availableProcessors()));
    }
    if (!skip.contains("mem")) {
      out.add(scalar("mem", memoryMb(totalMemoryMb())));
    }
    if (!skip.contains("disk")) {
      out.add(scalar("disk", diskMb(freeDiskMb(workDir))));
    }
    out.add(Resource.newBuilder().setName("ports").setRole(ResourceSet.UNRESERVED)
        .addRanges(Range.newBuilder().setBegin(DEFAULT_PORTS_BEGIN).setEnd(DEFAULT_PORTS_END)).build());
    return out;
  }

  /** Offerable memory for a host with {@code totalMb}. */
  static long memoryMb(long totalMb) {
    long reserve = totalMb >= 2048 ? 1024 : totalMb / 2;
    return Math.max(256, totalMb - reserve);
  }

  /** Offerable disk for {@code freeMb} free on the work dir's filesystem. */
  static long diskMb(long freeMb) {
    long reserve = Math.min(5 * 1024, freeMb / 10);
    return Math.max(0, freeMb - reserve);
  }

  private static long totalMemoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the JVM's view
    }
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize() / (1024 * 1024);
    }
    return 1024;
  }

  private static long freeDiskMb(Path workDir) {
    try {
      Path p = workDir;
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      return p == null ? 0 : Files.getFileStore(p).getUsableSpace() / (1024 * 1024);
    } catch (IOException e) {
      return 0;
    }
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setRole(ResourceSet.UNRESERVED).setScalar(value).build();
  }
}

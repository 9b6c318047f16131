package dev.corral.agent.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's metrics, dcos-metrics names, from {@code /proc} and the work dir's filesystem:
 * {@code cpu.cores}, {@code cpu.total}/{@code user}/{@code system}/{@code idle}/{@code wait} (percent of all
 * cores since the previous sample; since boot for the first), {@code load.1min}/{@code 5min}/{@code 15min},
 * {@code memory.total}/{@code free}/{@code available}/{@code buffers}/{@code cached},
 * {@code swap.total}/{@code free}, {@code filesystem.capacity.total}/{@code used}/{@code free} (tagged with
 * the {@code path}), {@code process.count}, {@code system.uptime}.
 *
 * <p>Thread-safe: the previous cpu ticks, its only state, are guarded by this.
 */
public final class NodeSampler {
  private final Path proc;
  private final Path workDir;
  private long[] lastTicks; // guarded by this

  /** @param proc {@code /proc}, or a fake tree in tests */
  public NodeSampler(Path proc, Path workDir) {
    this.proc = proc;
    this.workDir = workDir;
  }

  public List<Metric> sample() {
    List<Metric> out = new ArrayList<>();
    cpu(out);
    load(out);
    memory(out);
    filesystem(out);
    processes(out);
    String uptime = ControlFiles.text(proc, "uptime");
    if (uptime != null && !uptime.isEmpty()) {
      out.add(Metric.gauge("system.uptime", Double.parseDouble(uptime.split("\\s+")[0]), "seconds"));
    }
    return out;
  }

  private void cpu(List<Metric> out) {
    String stat = ControlFiles.text(proc, "stat");
    if (stat == null) {
      return;
    }
    long[] ticks = null;
    int cores = 0;
    for (String line : stat.split("\n")) {
      if (line.startsWith("cpu ")) {
        ticks = ticks(line);
      } else if (line.startsWith("cpu")) {
        cores++;
      }
    }
    out.add(Metric.gauge("cpu.cores", cores, "count"));
    if (ticks == null) {
      return;
    }
    long[] delta = delta(ticks);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    double total = 0;
    for (int i = 0; i < 8; i++) {
      total += delta[i];
    }
    if (total <= 0) {
      return; // no tick since the previous sample
    }
    double idle = delta[3];
    double wait = delta[4];
    out.add(Metric.gauge("cpu.total", percent(total - idle - wait, total), "percent"));
    out.add(Metric.gauge("cpu.user", percent(delta[0] + delta[1], total), "percent"));
    out.add(Metric.gauge("cpu.system", percent(delta[2] + delta[5] + delta[6], total), "percent"));
    out.add(Metric.gauge("cpu.idle", percent(idle, total), "percent"));
    out.add(Metric.gauge("cpu.wait", percent(wait, total), "percent"));
  }

  private synchronized long[] delta(long[] ticks) {
    long[] previous = lastTicks;
    lastTicks = ticks;
    if (previous == null) {
      return ticks;
    }
    long[] d = new long[ticks.length];
    for (int i = 0; i < ticks.length; i++) {
      d[i] = Math.max(0, ticks[i] - previous[i]);
    }
    return d;
  }

  private static long[] ticks(String line) {
    String[] f = line.trim().split("\\s+");
    long[] t = new long[8];
    for (int i = 0; i < t.length && i + 1 < f.length; i++) {
      t[i] = Long.parseLong(f[i + 1]);
    }
    return t;
  }

  private static double percent(double part, double total) {
    return Math.round(part * 10000 / total) / 100.0;
  }

  private void load(List<Metric> out) {
    String loadavg = ControlFiles.text(proc, "loadavg");
    if (loadavg == null) {
      return;
    }
    String[] f = loadavg.split("\\s+");
    if (f.length >= 3) {
      out.add(Metric.gauge("load.1min", Double.parseDouble(f[0]), "count"));
      out.add(Metric.gauge("load.5min", Double.parseDouble(f[1]), "count"));
      out.add(Metric.gauge("load.15min", Double.parseDouble(f[2]), "count"));
    }
  }

  private void memory(List<Metric> out) {
    String text = ControlFiles.text(proc, "meminfo");
    if (text == null) {
      return;
    }
    Map<String, String> names = Map.of("MemTotal", "memory.total", "MemFree", "memory.free",
        "MemAvailable", "memory.available", "Buffers", "memory.buffers", "Cached", "memory.cached",
        "SwapTotal", "swap.total", "SwapFree", "swap.free");
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      String name = colon < 0 ? null : names.get(line.substring(0, colon));
      if (name != null) {
        String[] f = line.substring(colon + 1).trim().split("\\s+"); // "16307764 kB"
        long kib = Long.parseLong(f[0]);
        out.add(Metric.gauge(name, kib * 1024.0, "bytes"));
      }
    }
  }

  private void filesystem(List<Metric> out) {
    try {
      FileStore store = Files.getFileStore(workDir);
      long total = store.getTotalSpace();
      long free = store.getUsableSpace();
      long used = total - store.getUnallocatedSpace();
      Map<String, String> path = Map.of("path", workDir.toString());
      out.add(new Metric("filesystem.capacity.total", total, "bytes", false, path));
      out.add(new Metric("filesystem.capacity.used", used, "bytes", false, path));
      out.add(new Metric("filesystem.capacity.free", free, "bytes", false, path));
    } catch (IOException e) {
      // the work dir is gone: nothing to report about its filesystem
    }
  }

  private void processes(List<Metric> out) {
    int count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          count++;
        }
      }
    } catch (IOException | RuntimeException e) {
      return;
    }
    out.add(Metric.gauge("process.count", count, "count"));
  }
}

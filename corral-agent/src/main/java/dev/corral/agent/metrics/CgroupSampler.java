package dev.corral.agent.metrics;

import dev.corral.agent.cgroups.CgroupPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A container's counters from its cgroup files, v1 or v2, under the same names:
 * <ul>
 *   <li>{@code cpus.user.time}, {@code cpus.system.time}, {@code cpus.total.time} (seconds; v1
 *       {@code cpuacct.usage*}, v2 {@code cpu.stat}), {@code cpus.limit} (the CFS quota in cpus);
 *   <li>{@code cpus.periods}, {@code cpus.throttled.periods}, {@code cpus.throttled.time}: CFS throttling;
 *   <li>{@code mem.total} (bytes in use, the dcos-metrics name), {@code mem.limit}, {@code mem.max_usage},
 *       {@code mem.rss}, {@code mem.cache}, {@code mem.oom_kills};
 *   <li>{@code pids.current}, {@code pids.limit}.
 * </ul>
 * What a file does not offer (no limit set, an older kernel, a controller the task is not under) is left
 * out rather than reported as 0. Stateless; blocking file reads, a few dozen microseconds per container.
 */
public final class CgroupSampler {
  private static final double NANOS = 1e9;
  private static final double MICROS = 1e6;
  /** cpuacct.stat counts in USER_HZ ticks, 100 per second on every Linux architecture we run on. */
  private static final double USER_HZ = 100;

  private CgroupSampler() {}

  public static List<Metric> sample(CgroupPaths paths) {
    List<Metric> out = new ArrayList<>();
    if (paths.version() == 1) {
      v1(paths, out);
    } else if (paths.version() == 2) {
      v2(paths.dir("cgroup"), out);
    }
    return out;
  }

  private static void v1(CgroupPaths paths, List<Metric> out) {
    Path acct = paths.dir("cpuacct");
    OptionalLong user = ControlFiles.number(acct, "cpuacct.usage_user");
    OptionalLong system = ControlFiles.number(acct, "cpuacct.usage_sys");
    if (user.isPresent() && system.isPresent()) {
      out.add(Metric.counter("cpus.user.time", user.getAsLong() / NANOS, "seconds"));
      out.add(Metric.counter("cpus.system.time", system.getAsLong() / NANOS, "seconds"));
    } else {
      Map<String, Long> stat = ControlFiles.keyed(acct, "cpuacct.stat"); // older kernels: ticks only
      counter(out, "cpus.user.time", stat.get("user"), USER_HZ, "seconds");
      counter(out, "cpus.system.time", stat.get("system"), USER_HZ, "seconds");
    }
    ControlFiles.number(acct, "cpuacct.usage")
        .ifPresent(ns -> out.add(Metric.counter("cpus.total.time", ns / NANOS, "seconds")));

    Path cpu = paths.dir("cpu");
    OptionalLong quota = ControlFiles.number(cpu, "cpu.cfs_quota_us");
    OptionalLong period = ControlFiles.number(cpu, "cpu.cfs_period_us");
    if (quota.isPresent() && quota.getAsLong() > 0 && period.isPresent() && period.getAsLong() > 0) {
      out.add(Metric.gauge("cpus.limit", (double) quota.getAsLong() / period.getAsLong(), "cpus"));
    }
    Map<String, Long> cpuStat = ControlFiles.keyed(cpu, "cpu.stat");
    throttling(out, cpuStat, cpuStat.get("throttled_time"), NANOS);

    Path mem = paths.dir("memory");
    gauge(out, "mem.total", ControlFiles.number(mem, "memory.usage_in_bytes"), "bytes");
    gauge(out, "mem.limit", ControlFiles.number(mem, "memory.limit_in_bytes"), "bytes");
    gauge(out, "mem.max_usage", ControlFiles.number(mem, "memory.max_usage_in_bytes"), "bytes");
    Map<String, Long> memStat = ControlFiles.keyed(mem, "memory.stat");
    gauge(out, "mem.rss", memStat.get("total_rss"), "bytes");
    gauge(out, "mem.cache", memStat.get("total_cache"), "bytes");
    counter(out, "mem.oom_kills", ControlFiles.keyed(mem, "memory.oom_control").get("oom_kill"), 1, "count");

    pids(paths.dir("pids"), out);
  }

  private static void v2(Path dir, List<Metric> out) {
    Map<String, Long> cpuStat = ControlFiles.keyed(dir, "cpu.stat");
    counter(out, "cpus.user.time", cpuStat.get("user_usec"), MICROS, "seconds");
    counter(out, "cpus.system.time", cpuStat.get("system_usec"), MICROS, "seconds");
    counter(out, "cpus.total.time", cpuStat.get("usage_usec"), MICROS, "seconds");
    String max = ControlFiles.text(dir, "cpu.max"); // "QUOTA PERIOD" or "max PERIOD"
    if (max != null) {
      String[] f = max.split("\\s+");
      if (f.length == 2 && !f[0].equals("max")) {
        try {
          out.add(Metric.gauge("cpus.limit", Double.parseDouble(f[0]) / Double.parseDouble(f[1]), "cpus"));
        } catch (NumberFormatException e) {
          // an unexpected format: no limit to report
        }
      }
    }
    throttling(out, cpuStat, cpuStat.get("throttled_usec"), MICROS);

    gauge(out, "mem.total", ControlFiles.number(dir, "memory.current"), "bytes");
    gauge(out, "mem.limit", ControlFiles.number(dir, "memory.max"), "bytes");
    gauge(out, "mem.max_usage", ControlFiles.number(dir, "memory.peak"), "bytes"); // kernel 5.19+
    Map<String, Long> memStat = ControlFiles.keyed(dir, "memory.stat");
    gauge(out, "mem.rss", memStat.get("anon"), "bytes");
    gauge(out, "mem.cache", memStat.get("file"), "bytes");
    counter(out, "mem.oom_kills", ControlFiles.keyed(dir, "memory.events").get("oom_kill"), 1, "count");

    pids(dir, out);
  }

  private static void throttling(List<Metric> out, Map<String, Long> cpuStat, Long throttledTime, double perSecond) {
    counter(out, "cpus.periods", cpuStat.get("nr_periods"), 1, "count");
    counter(out, "cpus.throttled.periods", cpuStat.get("nr_throttled"), 1, "count");
    counter(out, "cpus.throttled.time", throttledTime, perSecond, "seconds");
  }

  private static void pids(Path dir, List<Metric> out) {
    gauge(out, "pids.current", ControlFiles.number(dir, "pids.current"), "count");
    gauge(out, "pids.limit", ControlFiles.number(dir, "pids.max"), "count");
  }

  private static void counter(List<Metric> out, String name, Long raw, double perUnit, String unit) {
    if (raw != null) {
      out.add(Metric.counter(name, raw / perUnit, unit));
    }
  }

  private static void gauge(List<Metric> out, String name, Long raw, String unit) {
    if (raw != null) {
      out.add(Metric.gauge(name, raw, unit));
    }
  }

  private static void gauge(List<Metric> out, String name, OptionalLong raw, String unit) {
    raw.ifPresent(v -> out.add(Metric.gauge(name, v, unit)));
  }
}

package dev.corral.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.corral.agent.cgroups.CgroupPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters read from fake cgroup trees in the kernel's v1 and v2 file formats. */
class CgroupSamplerTest {
  @TempDir
  Path root;

  @Test
  void readsV1CpuacctCpuMemoryAndPids() throws Exception {
    Path cpu = write("cpu/corral/t1", Map.of(
        "cpu.cfs_quota_us", "50000\n", "cpu.cfs_period_us", "100000\n",
        "cpu.stat", "nr_periods 40\nnr_throttled 7\nthrottled_time 2500000000\nnr_bursts 0\nburst_time 0\n"));
    Path acct = write("cpuacct/corral/t1", Map.of("cpuacct.usage", "3000000000\n",
        "cpuacct.usage_user", "2000000000\n", "cpuacct.usage_sys", "1000000000\n",
        "cpuacct.stat", "user 999\nsystem 999\n"));
    Path mem = write("memory/corral/t1", Map.of("memory.usage_in_bytes", "1048576\n",
        "memory.limit_in_bytes", "67108864\n", "memory.max_usage_in_bytes", "2097152\n",
        "memory.stat", "cache 4096\nrss 8192\ntotal_cache 4096\ntotal_rss 8192\n",
        "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"));
    Path pids = write("pids/corral/t1", Map.of("pids.current", "3\n", "pids.max", "4096\n"));
    Map<String, Path> dirs = new LinkedHashMap<>();
    dirs.put("cpu", cpu);
    dirs.put("cpuacct", acct);
    dirs.put("memory", mem);
    dirs.put("pids", pids);

    Map<String, Metric> m = byName(CgroupSampler.sample(new CgroupPaths(1, dirs)));
    assertThat(m.get("cpus.user.time").value()).isEqualTo(2.0);
    assertThat(m.get("cpus.system.time").value()).isEqualTo(1.0);
    assertThat(m.get("cpus.total.time").value()).isEqualTo(3.0);
    assertThat(m.get("cpus.total.time").counter()).isTrue();
    assertThat(m.get("cpus.limit").value()).isEqualTo(0.5);
    assertThat(m.get("cpus.periods").value()).isEqualTo(40);
    assertThat(m.get("cpus.throttled.periods").value()).isEqualTo(7);
    assertThat(m.get("cpus.throttled.time").value()).isEqualTo(2.5);
    assertThat(m.get("mem.total").value()).isEqualTo(1048576);
    assertThat(m.get("mem.total").unit()).isEqualTo("bytes");
    assertThat(m.get("mem.limit").value()).isEqualTo(64 << 20);
    assertThat(m.get("mem.max_usage").value()).isEqualTo(2097152);
    assertThat(m.get("mem.rss").value()).isEqualTo(8192);
    assertThat(m.get("mem.cache").value()).isEqualTo(4096);
    assertThat(m.get("mem.oom_kills").value()).isEqualTo(2);
    assertThat(m.get("pids.current").value()).isEqualTo(3);
    assertThat(m.get("pids.limit").value()).isEqualTo(4096);
  }

  @Test
  void v1WithoutLimitsOrUsageFilesFallsBackToTicksAndLeavesLimitsOut() throws Exception {
    Path cpu = write("cpu/corral/t2", Map.of("cpu.cfs_quota_us", "-1\n", "cpu.cfs_period_us", "100000\n",
        "cpuacct.usage", "10\n", "cpuacct.stat", "user 150\nsystem 25\n")); // cpu,cpuacct mounted together
    Path mem = write("memory/corral/t2", Map.of("memory.usage_in_bytes", "4096\n",
        "memory.limit_in_bytes", "9223372036854771712\n"));
    Path pids = write("pids/corral/t2", Map.of("pids.current", "1\n", "pids.max", "max\n"));
    Map<String, Metric> m = byName(CgroupSampler.sample(new CgroupPaths(1,
        Map.of("cpu", cpu, "cpuacct", cpu, "memory", mem, "pids", pids))));
    assertThat(m.get("cpus.user.time").value()).isEqualTo(1.5);
    assertThat(m.get("cpus.system.time").value()).isEqualTo(0.25);
    assertThat(m).doesNotContainKeys("cpus.limit", "mem.limit", "pids.limit", "mem.oom_kills");
    assertThat(m.get("mem.total").value()).isEqualTo(4096);
  }

  @Test
  void readsV2UnifiedFiles() throws Exception {
    Path dir = write("corral.slice/t3", Map.of(
        "cpu.stat", "usage_usec 3000000\nuser_usec 2500000\nsystem_usec 500000\nnr_periods 10\n"
            + "nr_throttled 4\nthrottled_usec 1500000\n",
        "cpu.max", "25000 100000\n", "memory.current", "5242880\n", "memory.max", "33554432\n",
        "memory.peak", "6291456\n", "memory.stat", "anon 4194304\nfile 1048576\nkernel 0\n",
        "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n",
        "pids.current", "2\n", "pids.max", "100\n"));
    Map<String, Metric> m = byName(CgroupSampler.sample(new CgroupPaths(2, Map.of("cgroup", dir))));
    assertThat(m.get("cpus.user.time").value()).isEqualTo(2.5);
    assertThat(m.get("cpus.system.time").value()).isEqualTo(0.5);
    assertThat(m.get("cpus.total.time").value()).isEqualTo(3.0);
    assertThat(m.get("cpus.limit").value()).isCloseTo(0.25, within(1e-9));
    assertThat(m.get("cpus.throttled.periods").value()).isEqualTo(4);
    assertThat(m.get("cpus.throttled.time").value()).isEqualTo(1.5);
    assertThat(m.get("mem.total").value()).isEqualTo(5 << 20);
    assertThat(m.get("mem.limit").value()).isEqualTo(32 << 20);
    assertThat(m.get("mem.max_usage").value()).isEqualTo(6 << 20);
    assertThat(m.get("mem.rss").value()).isEqualTo(4 << 20);
    assertThat(m.get("mem.oom_kills").value()).isEqualTo(1);
    assertThat(m.get("pids.current").value()).isEqualTo(2);
    assertThat(m.get("pids.limit").value()).isEqualTo(100);
  }

  @Test
  void v2WithoutLimitsAndAGoneCgroupReportWhatExists() throws Exception {
    Path dir = write("corral.slice/t4", Map.of("cpu.max", "max 100000\n", "memory.max", "max\n",
        "memory.current", "0\n", "pids.max", "max\n"));
    Map<String, Metric> m = byName(CgroupSampler.sample(new CgroupPaths(2, Map.of("cgroup", dir))));
    assertThat(m).containsOnlyKeys("mem.total");
    assertThat(CgroupSampler.sample(new CgroupPaths(2, Map.of("cgroup", root.resolve("corral.slice/gone")))))
        .isEmpty();
    assertThat(CgroupSampler.sample(CgroupPaths.NONE)).isEmpty();
  }

  private Path write(String dir, Map<String, String> files) throws Exception {
    Path d = Files.createDirectories(root.resolve(dir));
    for (Map.Entry<String, String> e : files.entrySet()) {
      Files.writeString(d.resolve(e.getKey()), e.getValue());
    }
    return d;
  }

  static Map<String, Metric> byName(List<Metric> metrics) {
    Map<String, Metric> out = new LinkedHashMap<>();
    metrics.forEach(m -> out.put(m.name(), m));
    return out;
  }
}

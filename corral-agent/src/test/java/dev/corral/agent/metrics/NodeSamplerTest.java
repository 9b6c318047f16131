package dev.corral.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node metrics from this machine's /proc, and the cpu percentages from a fake one. */
class NodeSamplerTest {
  @TempDir
  Path work;

  @Test
  void readsTheRealProc() {
    Map<String, Metric> m = CgroupSamplerTest.byName(new NodeSampler(Path.of("/proc"), work).sample());
    assertThat(m.get("cpu.cores").value()).isGreaterThanOrEqualTo(1);
    assertThat(m.get("cpu.total").value()).isBetween(0.0, 100.0);
    assertThat(m.get("load.1min").value()).isGreaterThanOrEqualTo(0);
    assertThat(m).containsKeys("load.5min", "load.15min", "cpu.idle", "memory.free", "memory.available");
    assertThat(m.get("memory.total").value()).isGreaterThan(m.get("memory.free").value()).isGreaterThan(0);
    assertThat(m.get("process.count").value()).isGreaterThanOrEqualTo(1);
    assertThat(m.get("system.uptime").value()).isGreaterThan(0);
    Metric total = m.get("filesystem.capacity.total");
    assertThat(total.value()).isGreaterThan(0);
    assertThat(total.tags()).containsEntry("path", work.toString());
    assertThat(m.get("filesystem.capacity.used").value() + m.get("filesystem.capacity.free").value())
        .isLessThanOrEqualTo(total.value());
  }

  @Test
  void cpuPercentagesComeFromTheDeltaBetweenSamples() throws Exception {
    Path proc = Files.createDirectories(work.resolve("proc"));
    // user nice system idle iowait irq softirq steal
    stat(proc, "cpu  100 0 100 800 0 0 0 0 0 0");
    NodeSampler sampler = new NodeSampler(proc, work);
    Map<String, Metric> first = CgroupSamplerTest.byName(sampler.sample());
    assertThat(first.get("cpu.cores").value()).isEqualTo(2);
    assertThat(first.get("cpu.total").value()).isEqualTo(20.0); // since boot
    stat(proc, "cpu  250 0 150 900 100 0 0 0 0 0"); // +150 user, +50 system, +100 idle, +100 wait
    Map<String, Metric> second = CgroupSamplerTest.byName(sampler.sample());
    assertThat(second.get("cpu.total").value()).isEqualTo(50.0);
    assertThat(second.get("cpu.user").value()).isEqualTo(37.5);
    assertThat(second.get("cpu.system").value()).isEqualTo(12.5);
    assertThat(second.get("cpu.idle").value()).isEqualTo(25.0);
    assertThat(second.get("cpu.wait").value()).isEqualTo(25.0);
    assertThat(second).doesNotContainKeys("load.1min", "memory.total"); // no such files in the fake
  }

  private static void stat(Path proc, String cpuLine) throws Exception {
    Files.writeString(proc.resolve("stat"), cpuLine + "\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\n"
        + "intr 1\nctxt 1\n");
  }
}

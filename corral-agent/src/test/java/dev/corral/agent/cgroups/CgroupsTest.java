package dev.corral.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limit files written into fake cgroup trees; the real kernel is exercised by the agent tests. */
class CgroupsTest {
  @TempDir
  Path root;

  @Test
  void limitsFollowTheResources() {
    CgroupLimits l = CgroupLimits.of(List.of(
        Resource.newBuilder().setName("cpus").setScalar(0.5).build(),
        Resource.newBuilder().setName("mem").setScalar(128).build()));
    assertThat(l.cpuShares()).isEqualTo(512);
    assertThat(l.cfsQuotaUs()).isEqualTo(50_000);
    assertThat(l.memBytes()).isEqualTo(128L << 20);
    assertThat(new CgroupLimits(0.001, 0, 0).cpuShares()).isEqualTo(2);
    assertThat(new CgroupLimits(0.001, 0, 0).cfsQuotaUs()).isEqualTo(1000);
    assertThat(new CgroupLimits(1, 0, 0).cpuWeight()).isEqualTo(39);
    assertThat(new CgroupLimits(0.001, 0, 0).cpuWeight()).isEqualTo(1);
    assertThat(new CgroupLimits(1000, 0, 0).cpuWeight()).isEqualTo(10000);
  }

  @Test
  void detectionExplainsWhyThereAreNoCgroups() {
    assertThat(CgroupDetector.detect(false, true, root).describe()).isEqualTo("no cgroups: disabled by configuration");
    assertThat(CgroupDetector.detect(true, false, root).describe()).isEqualTo("no cgroups: not running as root");
    assertThat(CgroupDetector.detect(true, true, root).describe())
        .isEqualTo("no cgroups: no cgroup v1 or v2 controllers under " + root);
  }

  @Test
  void v1WritesSharesQuotaMemoryAndPids() throws Exception {
    for (String c : List.of("cpu", "memory", "pids")) {
      Files.createDirectories(root.resolve(c));
      Files.writeString(root.resolve(c).resolve("cgroup.procs"), "");
    }
    Files.writeString(root.resolve("cpu/cpu.shares"), "1024");
    Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "max");
    Cgroups cg = CgroupDetector.detect(true, true, root);
    assertThat(cg.describe()).isEqualTo("cgroups v1 (cpu, memory, pids)");

    TaskCgroup t = cg.create("t1", new CgroupLimits(2, 64, 4096));
    assertThat(root.resolve("cpu/corral/t1/cpu.shares")).hasContent("2048");
    assertThat(root.resolve("cpu/corral/t1/cpu.cfs_period_us")).hasContent("100000");
    assertThat(root.resolve("cpu/corral/t1/cpu.cfs_quota_us")).hasContent("200000");
    assertThat(root.resolve("memory/corral/t1/memory.limit_in_bytes")).hasContent(Long.toString(64L << 20));
    assertThat(root.resolve("memory/corral/t1/memory.memsw.limit_in_bytes")).doesNotExist();
    assertThat(root.resolve("pids/corral/t1/pids.max")).hasContent("4096");
    assertThat(t.procsFiles()).containsExactly(root.resolve("cpu/corral/t1/cgroup.procs"),
        root.resolve("memory/corral/t1/cgroup.procs"), root.resolve("pids/corral/t1/cgroup.procs"));

    assertThat(t.oomKilled()).isFalse();
    Files.writeString(root.resolve("memory/corral/t1/memory.oom_control"),
        "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    assertThat(t.oomKilled()).isTrue();
  }

  @Test
  void v1DeniesTheTasksDevicesInItsDevicesCgroup() throws Exception {
    Files.createDirectories(root.resolve("devices"));
    Files.writeString(root.resolve("devices/devices.deny"), "");
    Cgroups cg = CgroupDetector.detect(true, true, root);
    assertThat(cg.describe()).isEqualTo("cgroups v1 (devices)");
    TaskCgroup t = cg.create("t1", new CgroupLimits(1, 0, 0).withDeniedDevices(List.of(new DeviceRule('c', 195, 1))));
    // a fake file keeps the last write; the kernel adds each line to the exceptions
    assertThat(root.resolve("devices/corral/t1/devices.deny")).hasContent("c 195:1 rwm");
    assertThat(t.procsFiles()).containsExactly(root.resolve("devices/corral/t1/cgroup.procs"));
    assertThat(new DeviceRule('c', 195, -1).v1()).isEqualTo("c 195:* rwm");
  }

  @Test
  void v2EnablesControllersAndWritesWeightMaxAndSwap() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Files.writeString(root.resolve("cgroup.subtree_control"), "");
    Cgroups cg = CgroupDetector.detect(true, true, root);
    assertThat(cg.describe()).isEqualTo("cgroups v2 (cpu, memory, pids) under " + root.resolve("corral.slice"));
    // fake files hold the last write; the kernel would accumulate them
    assertThat(root.resolve("corral.slice/cgroup.subtree_control")).hasContent("+pids");

    Files.createDirectories(root.resolve("corral.slice/t1"));
    Files.writeString(root.resolve("corral.slice/t1/memory.swap.max"), "max");
    TaskCgroup t = cg.create("t1", new CgroupLimits(0.5, 32, 100));
    Path dir = root.resolve("corral.slice/t1");
    assertThat(dir.resolve("cpu.weight")).hasContent("20");
    assertThat(dir.resolve("cpu.max")).hasContent("50000 100000");
    assertThat(dir.resolve("memory.max")).hasContent(Long.toString(32L << 20));
    assertThat(dir.resolve("memory.swap.max")).hasContent("0");
    assertThat(dir.resolve("pids.max")).hasContent("100");
    assertThat(t.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
    assertThat(t.oomKilled()).isTrue();
  }

  @Test
  void v2WithoutUsableControllersIsNone() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "io\n");
    assertThat(CgroupDetector.detect(true, true, root).enabled()).isFalse();
  }
}

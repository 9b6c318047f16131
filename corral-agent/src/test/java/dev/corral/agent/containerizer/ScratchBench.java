package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.cgroups.Cgroups;
import dev.corral.api.v1.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.junit.jupiter.api.Test;

class ScratchBench {
  static long[] selfCpu() throws Exception {
    String st = Files.readString(Path.of("/proc/self/stat"));
    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }
  static long[] allCpu() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).split("\\s+");
    return new long[] {Long.parseLong(f[1]) + Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
  }
  @Test
  void bench() throws Exception {
    Path work = Files.createTempDirectory("bench");
    Cgroups cg = CgroupDetector.detect(!Boolean.getBoolean("nocg"));
    ProcessContainerizer c = new ProcessContainerizer(cg, HostTools.detect(), MonitorScript.install(work.resolve("bin")),
        "h", true, System.getenv());
    int n = Integer.getInteger("n", 200);
    ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("t", 4));
    AtomicLong cgT = new AtomicLong(), spawnT = new AtomicLong();
    List<Future<Launched>> fs = new ArrayList<>();
    long[] self0 = selfCpu(); long[] all0 = allCpu();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String id = "b" + i + "-" + System.nanoTime();
      TaskInfo t = TaskInfo.newBuilder().setTaskId(id)
          .addResources(Resource.newBuilder().setName("cpus").setScalar(0.1))
          .addResources(Resource.newBuilder().setName("mem").setScalar(32))
          .setCommand(CommandInfo.newBuilder().setShell(true).setValue("exec sleep 30")).build();
      fs.add(pool.submit(() -> {
        Path sb = work.resolve("sandboxes").resolve(id); Files.createDirectories(sb);
        Path meta = work.resolve("meta").resolve(id); Files.createDirectories(meta);
        long a = System.nanoTime();
        Launched l = c.launch(new LaunchRequest(t, FrameworkInfo.getDefaultInstance(), "ag", sb, meta));
        spawnT.addAndGet(System.nanoTime() - a);
        return l;
      }));
    }
    List<Launched> ls = new ArrayList<>();
    for (Future<Launched> f : fs) ls.add(f.get());
    Thread.sleep(300);
    long[] self1 = selfCpu(); long[] all1 = allCpu();
    System.out.printf("BENCH cpu ticks: jvm user %d sys %d; machine user %d sys %d idle %d%n", self1[0]-self0[0], self1[1]-self0[1], all1[0]-all0[0], all1[1]-all0[1], all1[2]-all0[2]);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("BENCH %d launches in %d ms; avg launch %.2f ms spawn %.2f line %.2f%n", n, ms, spawnT.get() / 1e6 / n, ProcessContainerizer.SPAWN.get()/1e6/n, ProcessContainerizer.LINE.get()/1e6/n);
    for (Launched l : ls) { c.forceKill(l.pids(), l.cgroup()); }
    for (Launched l : ls) { l.monitor().onExit().get(); l.cgroup().destroy(); }
    pool.shutdown();
  }
}

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
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("BENCH %d launches in %d ms; avg launch %.2f ms spawn %.2f line %.2f%n", n, ms, spawnT.get() / 1e6 / n, ProcessContainerizer.SPAWN.get()/1e6/n, ProcessContainerizer.LINE.get()/1e6/n);
    for (Launched l : ls) { c.forceKill(l.pids(), l.cgroup()); }
    for (Launched l : ls) { l.monitor().onExit().get(); l.cgroup().destroy(); }
    pool.shutdown();
  }
}

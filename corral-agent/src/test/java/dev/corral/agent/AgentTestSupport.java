package dev.corral.agent;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Task and config builders shared by the real-process tests. */
final class AgentTestSupport {
  static final Duration LONG = Duration.ofSeconds(20);
  static final boolean ROOT = CgroupDetector.isRoot();
  static final boolean CGROUP_V2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
  static final boolean CGROUP_V1 = !CGROUP_V2 && Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));

  private AgentTestSupport() {}

  static AgentConfig config(Path workDir) {
    return AgentConfig.defaults(workDir)
        .withHostname("test-host")
        .withResources("cpus:4;mem:4096;disk:1000;ports:[31000-31100]")
        .withAttributes("rack:r1")
        .withKillGracePeriod(Duration.ofSeconds(2))
        .withHeartbeatInterval(Duration.ofMillis(200))
        .withStatusRetryInterval(Duration.ofMinutes(1));
  }

  static TaskInfo shellTask(String id, String script) {
    return shellTask(id, script, 64);
  }

  static TaskInfo shellTask(String id, String script, double memMb) {
    return TaskInfo.newBuilder()
        .setTaskId(id)
        .setName(id)
        .setFrameworkId("fw-1")
        .addResources(Resource.newBuilder().setName("cpus").setRole("*").setScalar(0.1))
        .addResources(Resource.newBuilder().setName("mem").setRole("*").setScalar(memMb))
        .addResources(Resource.newBuilder().setName("ports").setRole("*")
            .addRanges(Range.newBuilder().setBegin(31001).setEnd(31001)))
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue(script)
            .putEnvironment("PORT0", "31001")
            .putEnvironment("PORTS", "31001")
            .putEnvironment("MARATHON_APP_ID", "/test/app"))
        .build();
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(System.nanoTime());
  }
}

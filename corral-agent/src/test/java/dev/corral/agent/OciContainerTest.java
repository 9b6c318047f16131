package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.oci.ContainerIds;
import dev.corral.agent.oci.OciRuntime;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks in real runc containers: isolation, limits, kills and agent restarts. Needs root, runc and cgroups. */
class OciContainerTest extends RealAgentTestBase {
  private OciRuntime runtime;

  @BeforeEach
  void needsRunc() {
    Assumptions.assumeTrue(CgroupDetector.isRoot(), "OCI containers need root");
    Assumptions.assumeTrue(AgentTestSupport.CGROUP_V1 || AgentTestSupport.CGROUP_V2, "OCI containers need cgroups");
    runtime = OciRuntime.find(OciRuntime.RUNC, workDir.resolve("oci"));
    Assumptions.assumeTrue(runtime != null, "runc is not installed (apt-get install runc)");
  }

  /** Containers a failed test may leave: only ours, in this agent's own runc state directory. */
  @AfterEach
  void deleteOurContainers() throws Exception {
    if (runtime != null && Files.isDirectory(runtime.stateRoot())) {
      try (var ids = Files.list(runtime.stateRoot())) {
        ids.forEach(dir -> runtime.delete(dir.getFileName().toString()));
      }
    }
  }

  private Agent startOciAgent() {
    Agent agent = startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of("oci")));
    master.awaitConnected(LONG);
    return agent;
  }

  @Test
  void taskSeesItsOwnPidNamespaceAndAReadOnlyHostRootButWritesItsSandbox() {
    Agent agent = startOciAgent();
    assertThat(agent.containerizers()).containsExactly("oci");
    String id = unique("ns");
    master.runTask(shellTask(id, "echo pid=$$; echo procs=$(ls /proc | grep -c '^[0-9]');"
        + " if touch /usr/corral-oci-test 2>/dev/null; then echo root=writable; else echo root=readonly; fi;"
        + " echo hello > \"$MESOS_SANDBOX/written\" && echo sandbox=writable; echo host=$(hostname)"));

    TaskStatus running = master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    assertThat(running.getMessage()).isEqualTo("containerizer: oci");
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    String out = read(sandbox(id).resolve("stdout"));
    int pid = Integer.parseInt(out.lines().filter(l -> l.startsWith("pid=")).findFirst().orElseThrow().substring(4));
    int procs = Integer.parseInt(out.lines().filter(l -> l.startsWith("procs=")).findFirst().orElseThrow()
        .substring(6));
    assertThat(pid).as("a fresh pid namespace: init is 1, the command right after it").isLessThan(10);
    assertThat(procs).as("only the container's processes in /proc").isLessThan(10);
    assertThat(out).contains("root=readonly", "sandbox=writable", "host=test-host");
    assertThat(Path.of("/usr/corral-oci-test")).doesNotExist();
    assertThat(read(sandbox(id).resolve("written"))).isEqualTo("hello\n");
    assertThat(runtime.exists(ContainerIds.of(id))).as("deleted after its exit").isFalse();
  }

  @Test
  void hostVolumesAreBoundReadOnlyOrWritableAtAbsoluteAndSandboxPaths() throws Exception {
    startOciAgent();
    Path shared = Files.createDirectories(workDir.resolve("shared-data"));
    Path page = Files.writeString(workDir.resolve("page.txt"), "a-host-file\n");
    String id = unique("vol");
    // /mnt exists on the host: without an image the root is the host's, read-only, so a mount point must exist
    var task = shellTask(id, "cat /mnt/page.txt 2>/dev/null || cat data/page.txt; echo out > data/out.txt;"
        + " if echo x > ro/page.txt 2>/dev/null; then echo ro=writable; else echo ro=readonly; fi; ls /mnt");
    task = HostVolumeTest.withVolume(task, "data", shared.toString(), false);
    task = HostVolumeTest.withVolume(task, "ro/page.txt", page.toString(), true);
    task = HostVolumeTest.withVolume(task, "/mnt", shared.toString(), true);
    Files.writeString(shared.resolve("page.txt"), "in-the-shared-dir\n");
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    String out = read(sandbox(id).resolve("stdout"));
    assertThat(out).startsWith("in-the-shared-dir\n").contains("ro=readonly", "out.txt");
    assertThat(Files.readString(shared.resolve("out.txt"))).isEqualTo("out\n");
    assertThat(Files.readString(page)).as("the read-only file was not written").isEqualTo("a-host-file\n");
  }

  @Test
  void aPersistentVolumeIsBoundInTheSandboxAndThroughAHostVolumeAtAnAbsolutePath() throws Exception {
    startOciAgent();
    String id = unique("pv");
    // Marathon's way to show a persistent volume at an absolute path: a host volume whose hostPath is its name
    var task = shellTask(id, "echo via-sandbox > data/a; echo via-mnt > /mnt/b; cat /mnt/a data/b").toBuilder()
        .addVolumeMounts(dev.corral.api.v1.VolumeMount.newBuilder().setName("data").setMountPath("data")
            .setPersistenceId("app#data#1"))
        .build();
    task = HostVolumeTest.withVolume(task, "/mnt", "data", false);
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("via-sandbox\nvia-mnt\n");
    Path volume = workDir.resolve("volumes").resolve("app#data#1");
    assertThat(Files.readString(volume.resolve("a"))).isEqualTo("via-sandbox\n");
    assertThat(Files.readString(volume.resolve("b"))).isEqualTo("via-mnt\n");
  }

  @Test
  void taskOverItsMemoryLimitIsReportedAsOom() {
    startOciAgent();
    String id = unique("oom");
    // tail keeps a line's worth of input in memory, and /dev/zero has no newline: it grows until killed
    master.runTask(shellTask(id, "head -c 300M /dev/zero | tail", 32));

    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getReason()).isEqualTo(StatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(failed.getMessage()).isEqualTo("Memory limit exceeded: killed by the OOM killer (limit 32 MB)");
    assertThat(cgroupDir("memory", id)).as("the cgroup is removed once read").doesNotExist();
  }

  @Test
  void busyTaskIsThrottledByItsCpuQuota() throws Exception {
    Assumptions.assumeTrue(AgentTestSupport.CGROUP_V1, "reads the cgroup v1 cpu.stat");
    startOciAgent();
    String id = unique("cpu");
    master.runTask(shellTask(id, "while :; do :; done")); // 0.1 cpus
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    Path cpuStat = cgroupDir("cpu", id).resolve("cpu.stat");
    await().atMost(LONG).until(() -> throttled(cpuStat) > 0);
    assertThat(read(cgroupDir("cpu", id).resolve("cpu.cfs_quota_us")).trim()).isEqualTo("10000");
    master.kill(id, null);
    master.awaitStatus(id, TaskState.TASK_KILLED, LONG);
  }

  @Test
  void killSendsTermAndThenKillAfterTheGracePeriod() {
    startOciAgent();
    String polite = unique("polite");
    String stubborn = unique("stubborn");
    master.runTask(shellTask(polite, "exec sleep 60"));
    master.runTask(shellTask(stubborn, "trap 'echo got-term' TERM; echo ready; while :; do sleep 0.1; done"));
    master.awaitStatus(polite, TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(stubborn, TaskState.TASK_RUNNING, LONG);
    await().atMost(LONG).until(() -> read(sandbox(stubborn).resolve("stdout")).contains("ready"));

    master.kill(polite, null);
    master.kill(stubborn, 0.5);
    TaskStatus term = master.awaitStatus(polite, TaskState.TASK_KILLED, LONG);
    assertThat(term.getSignal()).as("TERM reaches a command that is not the container's init").isEqualTo(15);
    TaskStatus kill = master.awaitStatus(stubborn, TaskState.TASK_KILLED, LONG);
    assertThat(kill.getSignal()).isEqualTo(9);
    assertThat(read(sandbox(stubborn).resolve("stdout"))).contains("got-term");
    assertThat(runtime.exists(ContainerIds.of(stubborn))).isFalse();
  }

  @Test
  void agentRestartKeepsContainersRunningAndReportsOnesThatEndedMeanwhile() throws Exception {
    master.autoAck(true);
    Agent first = startOciAgent();
    String stays = unique("stays");
    String ends = unique("ends");
    master.runTask(shellTask(stays, "exec sleep 60"));
    master.runTask(shellTask(ends, "while [ ! -f go ]; do sleep 0.05; done; exit 7"));
    master.awaitStatus(stays, TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(ends, TaskState.TASK_RUNNING, LONG);
    await().atMost(LONG).until(() -> runtime.exists(ContainerIds.of(ends)));

    first.stop(false);
    assertThat(runtime.exists(ContainerIds.of(stays))).as("stop(false) leaves containers running").isTrue();
    Files.createFile(sandbox(ends).resolve("go")); // ends while no agent runs
    Path exitStatus = workDir.resolve("meta/tasks").resolve(ends).resolve("exit_status");
    await().atMost(LONG).until(() -> Files.exists(exitStatus));

    startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of("oci")));
    TaskStatus ended = master.awaitStatus(ends, TaskState.TASK_FAILED, LONG);
    assertThat(ended.getExitStatus()).isEqualTo(7);
    assertThat(runtime.exists(ContainerIds.of(ends))).as("the stopped container is deleted").isFalse();
    assertThat(runtime.exists(ContainerIds.of(stays))).isTrue();

    master.kill(stays, null);
    TaskStatus killed = master.awaitStatus(stays, TaskState.TASK_KILLED, LONG);
    assertThat(killed.getSignal()).isEqualTo(15);
    assertThat(runtime.exists(ContainerIds.of(stays))).isFalse();
  }

  private static Path cgroupDir(String controller, String taskId) {
    return AgentTestSupport.CGROUP_V2 ? Path.of("/sys/fs/cgroup/corral.slice", taskId)
        : Path.of("/sys/fs/cgroup", controller, "corral", taskId);
  }

  private static long throttled(Path cpuStat) {
    return read(cpuStat).lines().filter(l -> l.startsWith("nr_throttled "))
        .mapToLong(l -> Long.parseLong(l.substring(13).trim())).findFirst().orElse(0);
  }

}

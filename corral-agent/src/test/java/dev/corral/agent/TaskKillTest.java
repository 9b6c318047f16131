package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskKillTest extends RealAgentTestBase {

  @Test
  void killedTaskEndsKilledAndLeavesNothingBehind() throws Exception {
    startAgent();
    String id = unique("kill");
    master.runTask(shellTask(id, "sleep 60 & sleep 60 & echo up; wait"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    await().atMost(LONG).until(() -> read(sandbox(id).resolve("stdout")).contains("up"));
    TaskPids pids = pids(id);
    assertThat(ProcStat.alive(pids.taskPid(), pids.taskStart())).isTrue();
    assertCgroups(id, pids);

    long start = System.nanoTime();
    master.kill(id, null);
    TaskStatus killed = master.awaitStatus(id, TaskState.TASK_KILLED, LONG);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).as("a task that obeys SIGTERM ends well within the grace period").isLessThan(1500);
    assertThat(killed.getReason()).isEqualTo(StatusReason.REASON_TASK_KILLED);
    assertThat(killed.getSignal()).isEqualTo(15);
    assertThat(ProcStat.alive(pids.taskPid(), pids.taskStart())).isFalse();
    for (Path dir : cgroupDirs(id)) {
      assertThat(dir).doesNotExist();
    }
  }

  @Test
  void taskIgnoringSigtermIsKilledAfterTheGracePeriod() {
    startAgent();
    String id = unique("stubborn");
    master.runTask(shellTask(id, "trap '' TERM; echo ready; while :; do sleep 0.1; done"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    await().atMost(LONG).until(() -> read(sandbox(id).resolve("stdout")).contains("ready"));

    long start = System.nanoTime();
    master.kill(id, 1.0);
    TaskStatus killed = master.awaitStatus(id, TaskState.TASK_KILLED, LONG);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).isBetween(900L, 6000L);
    assertThat(killed.getSignal()).isEqualTo(9);
    assertThat(killed.getMessage()).contains("signal 9");
  }

  @Test
  void stopWithKillTasksKillsEverything() throws Exception {
    Agent agent = startAgent();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = unique("stop" + i);
      ids.add(id);
      master.runTask(shellTask(id, "exec sleep 60"));
    }
    List<TaskPids> pids = new ArrayList<>();
    for (String id : ids) {
      master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
      pids.add(pids(id));
    }
    agent.stop(true);
    for (TaskPids p : pids) {
      assertThat(ProcStat.alive(p.taskPid(), p.taskStart())).isFalse();
      assertThat(ProcStat.alive(p.monitorPid(), p.monitorStart())).isFalse();
    }
    for (String id : ids) {
      assertThat(master.statuses(id)).extracting(TaskStatus::getState).contains(TaskState.TASK_KILLED);
    }
    assertThat(agent.whenStopped()).isDone();
  }

  @Test
  void shutdownFromTheMasterKillsTasksAndForgetsTheAgent() throws Exception {
    Agent agent = startAgent();
    String id = unique("shutdown");
    master.runTask(shellTask(id, "exec sleep 60"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    TaskPids pids = pids(id);
    assertThat(workDir.resolve("meta/agent.id")).exists();

    master.shutdownAgent("removed by test");
    agent.whenStopped().get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ProcStat.alive(pids.taskPid(), pids.taskStart())).isFalse();
    assertThat(workDir.resolve("meta/agent.id")).doesNotExist();
    assertThat(workDir.resolve("meta/tasks").resolve(id)).doesNotExist();
  }

  private TaskPids pids(String id) throws Exception {
    Path file = workDir.resolve("meta/tasks").resolve(id).resolve("pids");
    await().atMost(LONG).until(() -> Files.exists(file));
    return TaskPids.fromText(Files.readString(file));
  }

  private static List<Path> cgroupDirs(String id) {
    if (AgentTestSupport.CGROUP_V2) {
      return List.of(Path.of("/sys/fs/cgroup/corral.slice", id));
    }
    if (AgentTestSupport.CGROUP_V1) {
      return List.of(Path.of("/sys/fs/cgroup/cpu/corral", id), Path.of("/sys/fs/cgroup/memory/corral", id),
          Path.of("/sys/fs/cgroup/pids/corral", id));
    }
    return List.of();
  }

  /** The task (and not its monitor) is in its cgroups, with the limits of 0.1 cpus and 64 MB. */
  private static void assertCgroups(String id, TaskPids pids) throws Exception {
    if (!AgentTestSupport.ROOT || !(AgentTestSupport.CGROUP_V1 || AgentTestSupport.CGROUP_V2)) {
      return; // no cgroups on this host: nothing to check
    }
    if (AgentTestSupport.CGROUP_V1) {
      Path cpu = Path.of("/sys/fs/cgroup/cpu/corral", id);
      Path mem = Path.of("/sys/fs/cgroup/memory/corral", id);
      Path pidsDir = Path.of("/sys/fs/cgroup/pids/corral", id);
      assertThat(read(cpu.resolve("cpu.shares")).trim()).isEqualTo("102");
      assertThat(read(cpu.resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
      assertThat(read(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("10000");
      assertThat(read(mem.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(64L << 20));
      assertThat(read(pidsDir.resolve("pids.max")).trim()).isEqualTo("4096");
      for (Path dir : List.of(cpu, mem, pidsDir)) {
        List<String> procs = List.of(read(dir.resolve("cgroup.procs")).trim().split("\n"));
        assertThat(procs).contains(Long.toString(pids.taskPid()));
        assertThat(procs).doesNotContain(Long.toString(pids.monitorPid()));
      }
    } else {
      Path dir = Path.of("/sys/fs/cgroup/corral.slice", id);
      assertThat(read(dir.resolve("cpu.max")).trim()).isEqualTo("10000 100000");
      assertThat(read(dir.resolve("memory.max")).trim()).isEqualTo(Long.toString(64L << 20));
      assertThat(read(dir.resolve("pids.max")).trim()).isEqualTo("4096");
      List<String> procs = List.of(read(dir.resolve("cgroup.procs")).trim().split("\n"));
      assertThat(procs).contains(Long.toString(pids.taskPid()));
      assertThat(procs).doesNotContain(Long.toString(pids.monitorPid()));
    }
  }
}

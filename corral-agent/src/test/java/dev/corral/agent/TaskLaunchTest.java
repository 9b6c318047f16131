package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TaskLaunchTest extends RealAgentTestBase {

  @Test
  void taskRunsInItsSandboxWithTheTaskEnvironment() {
    startAgent();
    String id = unique("env");
    master.runTask(shellTask(id, "env; echo done-env; exec sleep 60"));

    TaskStatus running = master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    assertThat(running.getSource()).isEqualTo(StatusSource.SOURCE_AGENT);
    assertThat(running.getReason()).isEqualTo(StatusReason.REASON_UNSPECIFIED);
    assertThat(running.getUuid()).isNotEmpty();
    assertThat(running.getAgentId()).isEqualTo("agent-1");
    assertThat(running.getFrameworkId()).isEqualTo("fw-1");

    await().atMost(LONG).until(() -> read(sandbox(id).resolve("stdout")).contains("done-env"));
    String env = read(sandbox(id).resolve("stdout"));
    assertThat(env).contains("PORT0=31001", "PORTS=31001", "MARATHON_APP_ID=/test/app", "HOST=test-host",
        "MESOS_SANDBOX=" + sandbox(id), "CORRAL_SANDBOX=" + sandbox(id), "MESOS_TASK_ID=" + id,
        "MESOS_AGENT_ID=agent-1", "MESOS_FRAMEWORK_ID=fw-1", "PATH=");
    assertThat(env).doesNotContain("CORRAL_CGROUP_PROCS", "MAVEN", "JAVA_TOOL_OPTIONS");
    assertThat(Files.exists(sandbox(id).resolve("stderr"))).isTrue();
  }

  @Test
  void exitCodesBecomeTerminalStates() {
    startAgent();
    String ok = unique("ok");
    String three = unique("three");
    String signal = unique("sig");
    master.runTask(shellTask(ok, "exit 0"));
    master.runTask(shellTask(three, "exit 3"));
    master.runTask(shellTask(signal, "kill -9 $$"));

    TaskStatus finished = master.awaitStatus(ok, TaskState.TASK_FINISHED, LONG);
    assertThat(finished.getExitStatus()).isZero();

    TaskStatus failed = master.awaitStatus(three, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getReason()).isEqualTo(StatusReason.REASON_COMMAND_EXITED);
    assertThat(failed.getExitStatus()).isEqualTo(3);
    assertThat(failed.getMessage()).isEqualTo("Command exited with status 3");

    TaskStatus killed = master.awaitStatus(signal, TaskState.TASK_FAILED, LONG);
    assertThat(killed.hasExitStatus()).isFalse();
    assertThat(killed.getSignal()).isEqualTo(9);
    assertThat(killed.getMessage()).isEqualTo("Command terminated by signal 9 (SIGKILL)");
  }

  @Test
  void argumentsFollowMesosSemantics() {
    startAgent();
    String id = unique("args");
    TaskInfo task = shellTask(id, "").toBuilder().setCommand(CommandInfo.newBuilder().setShell(false)
        .setValue("/bin/echo").addArguments("echo").addArguments("hello").addArguments("two words")).build();
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("hello two words\n");
  }

  @Test
  void runTaskIsIdempotent() {
    startAgent();
    String id = unique("twice");
    TaskInfo task = shellTask(id, "echo started; exec sleep 60");
    master.runTask(task);
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    master.runTask(task);
    await().during(Duration.ofMillis(500)).atMost(LONG)
        .until(() -> master.statuses(id).size() == 1);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("started\n");
  }

  @Test
  void runsAsTheGivenUser() {
    Assumptions.assumeTrue(AgentTestSupport.ROOT, "switching users needs root");
    startAgent();
    String id = unique("user");
    TaskInfo task = shellTask(id, "id -u; touch mine").toBuilder()
        .setCommand(shellTask(id, "id -u; touch mine").getCommand().toBuilder().setUser("nobody")).build();
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("65534\n");
  }

  @Test
  void missingUserIsALaunchFailure() {
    Assumptions.assumeTrue(AgentTestSupport.ROOT, "users are only switched as root");
    startAgent();
    String id = unique("nouser");
    TaskInfo task = shellTask(id, "true").toBuilder()
        .setCommand(shellTask(id, "true").getCommand().toBuilder().setUser("no-such-user-xyz")).build();
    master.runTask(task);
    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getReason()).isEqualTo(StatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(failed.getMessage()).contains("no-such-user-xyz", "does not exist");
  }

  @Test
  void missingExecutableFailsWithItsExitStatus() {
    startAgent();
    String id = unique("noexec");
    master.runTask(shellTask(id, "").toBuilder()
        .setCommand(CommandInfo.newBuilder().setValue("/nonexistent/binary")).build());
    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getExitStatus()).isNotZero();
    assertThat(read(sandbox(id).resolve("stderr"))).contains("/nonexistent/binary");
  }

  @Test
  void invalidTaskIdIsAnError() {
    startAgent();
    master.runTask(shellTask("../escape", "true"));
    TaskStatus error = master.awaitStatus("../escape", TaskState.TASK_ERROR, LONG);
    assertThat(error.getReason()).isEqualTo(StatusReason.REASON_TASK_INVALID);
    assertThat(error.getUuid()).isEmpty();
  }

  @Test
  void killOfAnUnknownTaskAnswersLost() {
    startAgent();
    master.kill("never-launched", null);
    TaskStatus lost = master.awaitStatus("never-launched", TaskState.TASK_LOST, LONG);
    assertThat(lost.getReason()).isEqualTo(StatusReason.REASON_TASK_UNKNOWN);
    assertThat(lost.getUuid()).isEmpty();
  }

  @Test
  void runsWithoutCgroupsWhenDisabled() {
    Agent agent = startAgent(AgentTestSupport.config(workDir).withCgroupsEnabled(false));
    master.awaitConnected(LONG);
    assertThat(agent.describeIsolation()).isEqualTo("no cgroups: disabled by configuration");
    String id = unique("nocg");
    master.runTask(shellTask(id, "exit 4"));
    assertThat(master.awaitStatus(id, TaskState.TASK_FAILED, LONG).getExitStatus()).isEqualTo(4);
  }

  /** 200 tasks by default; {@code -Dcorral.agent.bench.tasks=1000} for the benchmark's size. */
  @Test
  void launchesManyTasksQuickly() {
    startAgent();
    int count = Integer.getInteger("corral.agent.bench.tasks", 200);
    String prefix = unique("many");
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      master.runTask(shellTask(prefix + "-" + i, "exec sleep 60"));
    }
    await().atMost(LONG).pollInterval(Duration.ofMillis(20)).until(() -> master.received().stream()
        .filter(m -> m.hasStatusUpdate() && m.getStatusUpdate().getStatus().getState() == TaskState.TASK_RUNNING)
        .count() == count);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("launched %d tasks to RUNNING in %d ms (%.0f/s)%n", count, ms, count * 1000.0 / ms);
    assertThat(ms).isLessThan(Math.max(15_000, count * 20L));
  }
}

package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecoveryTest extends RealAgentTestBase {

  @Test
  void restartKeepsRunningTasksAndReportsTasksThatEndedMeanwhile() throws Exception {
    master.autoAck(true);
    Agent first = startAgent();
    String stays = unique("stays");
    String ends = unique("ends");
    master.runTask(shellTask(stays, "echo $$; exec sleep 60"));
    master.runTask(shellTask(ends, "while [ ! -f go ]; do sleep 0.05; done; exit 7"));
    master.awaitStatus(stays, TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(ends, TaskState.TASK_RUNNING, LONG);
    await().atMost(LONG).until(() -> !read(sandbox(stays).resolve("stdout")).isBlank());
    long pid = Long.parseLong(read(sandbox(stays).resolve("stdout")).trim());
    TaskPids pids = TaskPids.fromText(read(workDir.resolve("meta/tasks").resolve(stays).resolve("pids")));
    assertThat(pids.taskPid()).isEqualTo(pid);

    first.stop(false);
    assertThat(ProcStat.alive(pid, pids.taskStart())).as("stop(false) leaves tasks running").isTrue();
    // the second task ends while no agent runs; its monitor records the status
    Files.createFile(sandbox(ends).resolve("go"));
    Path exitStatus = workDir.resolve("meta/tasks").resolve(ends).resolve("exit_status");
    await().atMost(LONG).until(() -> Files.exists(exitStatus));
    int registrationsBefore = master.registrations().size();

    Agent second = startAgent(AgentTestSupport.config(workDir));
    assertThat(second.agentId()).as("the id is recovered before registering").isEqualTo("agent-1");
    await().atMost(LONG).until(() -> master.registrations().size() > registrationsBefore);
    RegisterAgent again = master.registrations().get(master.registrations().size() - 1);
    assertThat(again.getInfo().getAgentId()).isEqualTo("agent-1");
    Map<String, TaskStatus> listed = again.getTasksList().stream()
        .collect(Collectors.toMap(t -> t.getTask().getTaskId(), AgentTask::getLatestStatus));
    assertThat(listed.get(stays).getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(listed.get(ends).getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(listed.get(ends).getExitStatus()).isEqualTo(7);

    TaskStatus ended = master.awaitStatus(ends, TaskState.TASK_FAILED, LONG);
    assertThat(ended.getExitStatus()).isEqualTo(7);
    assertThat(ended.getReason()).isEqualTo(StatusReason.REASON_COMMAND_EXITED);
    assertThat(ProcStat.alive(pid, pids.taskStart())).as("recovery restarts and kills nothing").isTrue();
    assertThat(read(sandbox(stays).resolve("stdout")).trim()).as("the task was not started twice")
        .isEqualTo(Long.toString(pid));

    // the recovered task is still under control: kill it through the new agent
    master.kill(stays, null);
    TaskStatus killed = master.awaitStatus(stays, TaskState.TASK_KILLED, LONG);
    assertThat(killed.getSignal()).isEqualTo(15);
    assertThat(ProcStat.alive(pid, pids.taskStart())).isFalse();
  }

  @Test
  void recoveredTaskThatEndsIsNoticedByPolling() throws Exception {
    master.autoAck(true);
    Agent first = startAgent();
    String id = unique("later");
    master.runTask(shellTask(id, "while [ ! -f go ]; do sleep 0.05; done; exit 5"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    first.stop(false);

    startAgent(AgentTestSupport.config(workDir));
    await().atMost(LONG).until(() -> master.registrations().size() == 2);
    Files.createFile(sandbox(id).resolve("go"));
    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getExitStatus()).isEqualTo(5);
    // acknowledged terminal update: the task is forgotten, its sandbox kept
    await().atMost(LONG).until(() -> !Files.exists(workDir.resolve("meta/tasks").resolve(id)));
    assertThat(sandbox(id)).exists();
  }

  @Test
  void taskWhoseStatusIsLostIsReportedAsUnknown() throws Exception {
    master.autoAck(true);
    Agent first = startAgent();
    String id = unique("lost");
    master.runTask(shellTask(id, "exec sleep 60"));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    first.stop(false);
    // kill the monitor first so no status is recorded, then the task
    TaskPids pids = TaskPids.fromText(read(workDir.resolve("meta/tasks").resolve(id).resolve("pids")));
    ProcessHandle.of(pids.monitorPid()).ifPresent(ProcessHandle::destroyForcibly);
    await().atMost(LONG).until(() -> !ProcStat.alive(pids.monitorPid(), pids.monitorStart()));

    startAgent(AgentTestSupport.config(workDir));
    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getReason()).isEqualTo(StatusReason.REASON_AGENT_RESTARTED);
    assertThat(failed.getMessage()).isEqualTo("task ended while the agent was down; exit status unknown");
    if (AgentTestSupport.ROOT && (AgentTestSupport.CGROUP_V1 || AgentTestSupport.CGROUP_V2)) {
      assertThat(ProcStat.alive(pids.taskPid(), pids.taskStart()))
          .as("leftovers in the task's cgroups are killed").isFalse();
    }
    List<TaskStatus> all = master.statuses(id);
    assertThat(all).extracting(TaskStatus::getState).doesNotContain(TaskState.TASK_KILLED);
  }
}

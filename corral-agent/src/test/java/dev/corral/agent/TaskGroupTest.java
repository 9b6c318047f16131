package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.api.v1.VolumeMount;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Task groups (pod instances) on a real agent: shared ephemeral volumes, and the group ends as one. */
class TaskGroupTest extends RealAgentTestBase {

  private static TaskInfo member(String group, String name, String script) {
    return shellTask(group + "." + name, script).toBuilder().setGroupId(group)
        .addVolumeMounts(VolumeMount.newBuilder().setName("shared").setMountPath("data")).build();
  }

  @Test
  void tasksOfAGroupShareItsVolumeAndAFailedOneTakesTheOthersDown() throws Exception {
    startAgent();
    String group = unique("grp");
    TaskInfo writer = member(group, "writer", "echo hello-from-writer > data/note; exec sleep 60");
    TaskInfo reader = member(group, "reader",
        "while [ ! -s data/note ]; do sleep 0.1; done; cat data/note; exec sleep 60");
    master.runTaskGroup(TaskGroupInfo.newBuilder().setGroupId(group).addTasks(writer).addTasks(reader).build());

    master.awaitStatus(writer.getTaskId(), TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(reader.getTaskId(), TaskState.TASK_RUNNING, LONG);
    await().atMost(LONG).until(() -> read(sandbox(reader.getTaskId()).resolve("stdout")).contains("hello-from-writer"));
    assertThat(Files.isSymbolicLink(sandbox(writer.getTaskId()).resolve("data"))).isTrue();

    // one member fails: the agent kills the other
    TaskInfo failing = member(group + "x", "failing", "sleep 1; exit 7");
    TaskInfo sibling = member(group + "x", "sibling", "exec sleep 60");
    master.runTaskGroup(TaskGroupInfo.newBuilder().setGroupId(group + "x").addTasks(failing).addTasks(sibling).build());
    TaskStatus failed = master.awaitStatus(failing.getTaskId(), TaskState.TASK_FAILED, LONG);
    assertThat(failed.getExitStatus()).isEqualTo(7);
    master.awaitStatus(sibling.getTaskId(), TaskState.TASK_KILLED, LONG);
    // the first group is untouched
    assertThat(master.statuses(writer.getTaskId())).extracting(TaskStatus::getState)
        .doesNotContain(TaskState.TASK_KILLED, TaskState.TASK_FAILED);
    // once the ends of the second group are acknowledged, its volume is gone; the first one's stays
    master.ack(master.awaitStatus(failing.getTaskId(), TaskState.TASK_FAILED, LONG));
    master.ack(master.awaitStatus(sibling.getTaskId(), TaskState.TASK_KILLED, LONG));
    await().atMost(LONG).until(() -> !Files.exists(workDir.resolve("groups").resolve(group + "x")));
    assertThat(workDir.resolve("groups").resolve(group).resolve("shared").resolve("note")).exists();
  }

  @Test
  void aRestartedAgentReattachesToAGroupAndStillEndsItAsOne() throws Exception {
    master.autoAck(true);
    Agent first = startAgent();
    String group = unique("keep");
    TaskInfo stays = member(group, "stays", "exec sleep 60");
    TaskInfo ends = member(group, "ends", "while [ ! -f go ]; do sleep 0.05; done; exit 3");
    master.runTaskGroup(TaskGroupInfo.newBuilder().setGroupId(group).addTasks(stays).addTasks(ends).build());
    master.awaitStatus(stays.getTaskId(), TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(ends.getTaskId(), TaskState.TASK_RUNNING, LONG);
    first.stop(false);

    int before = master.registrations().size();
    startAgent(AgentTestSupport.config(workDir));
    await().atMost(LONG).until(() -> master.registrations().size() > before);
    assertThat(master.registrations().get(master.registrations().size() - 1).getTasksList())
        .extracting(t -> t.getTask().getTaskId() + " " + t.getTask().getGroupId())
        .contains(stays.getTaskId() + " " + group, ends.getTaskId() + " " + group);
    Files.createFile(sandbox(ends.getTaskId()).resolve("go"));
    master.awaitStatus(ends.getTaskId(), TaskState.TASK_FAILED, LONG);
    master.awaitStatus(stays.getTaskId(), TaskState.TASK_KILLED, LONG);
  }

  @Test
  void aGroupWithAnInvalidTaskRunsNone() {
    startAgent();
    String group = unique("bad");
    TaskInfo good = member(group, "good", "exec sleep 60");
    TaskInfo bad = shellTask("../escape", "true").toBuilder().setGroupId(group).build();
    master.runTaskGroup(TaskGroupInfo.newBuilder().setGroupId(group).addTasks(good).addTasks(bad).build());
    TaskStatus refused = master.awaitStatus(good.getTaskId(), TaskState.TASK_ERROR, LONG);
    assertThat(refused.getMessage()).contains("cannot run on this agent");
  }
}

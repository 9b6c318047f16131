package dev.corral.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir
  Path work;

  @Test
  void agentIdRoundTrips() throws Exception {
    CheckpointStore s = new CheckpointStore(work);
    assertThat(s.readAgentId()).isEmpty();
    s.writeAgentId("a-1");
    assertThat(new CheckpointStore(work).readAgentId()).contains("a-1");
    assertThat(work.resolve("meta/agent.id.tmp")).doesNotExist();
    s.deleteAgentId();
    assertThat(s.readAgentId()).isEmpty();
  }

  @Test
  void taskRoundTripsWithPidsUpdatesAndKillMarker() throws Exception {
    CheckpointStore s = new CheckpointStore(work);
    TaskInfo task = TaskInfo.newBuilder().setTaskId("t1").setName("n").build();
    FrameworkInfo fw = FrameworkInfo.newBuilder().setFrameworkId("fw").build();
    s.writeTask(task, fw);
    s.writePids("t1", new TaskPids(1, 2, 3, 4));
    for (int seq : new int[] {12, 2, 1}) {
      s.writeUpdate("t1", new PendingUpdate(seq, TaskStatus.newBuilder().setTaskId("t1").setUuid("u" + seq)
          .setState(TaskState.TASK_RUNNING).build()));
    }
    s.deleteUpdate("t1", 2);
    s.markKillRequested("t1");
    s.writeTask(TaskInfo.newBuilder().setTaskId("t0").build(), fw);

    List<TaskCheckpoint> all = new CheckpointStore(work).readTasks();
    assertThat(all).extracting(TaskCheckpoint::taskId).containsExactly("t0", "t1");
    TaskCheckpoint t1 = all.get(1);
    assertThat(t1.task()).isEqualTo(task);
    assertThat(t1.framework()).isEqualTo(fw);
    assertThat(t1.pids()).isEqualTo(new TaskPids(1, 2, 3, 4));
    assertThat(t1.pending()).extracting(PendingUpdate::uuid).containsExactly("u1", "u12");
    assertThat(t1.lastSeq()).isEqualTo(12);
    assertThat(t1.killRequested()).isTrue();
    assertThat(all.get(0).pids()).isNull();
    assertThat(all.get(0).killRequested()).isFalse();

    s.forget("t1");
    assertThat(s.taskDir("t1")).doesNotExist();
    s.markKillRequested("t1");
    assertThat(s.taskDir("t1")).as("a late kill never recreates a forgotten task").doesNotExist();
  }

  @Test
  void unreadableEntriesAreSkipped() throws Exception {
    CheckpointStore s = new CheckpointStore(work);
    Files.createDirectories(s.taskDir("broken"));
    Files.writeString(s.taskDir("broken").resolve("task.pb"), "\u00ff\u00ff not protobuf");
    Files.createDirectories(s.taskDir("empty"));
    assertThat(s.readTasks()).isEmpty();
  }
}

package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPUs on a real agent with a stand-in nvidia-smi: offered as {@code gpus}, each task given distinct devices
 * in CUDA_VISIBLE_DEVICES, tasks without GPUs shown none, devices freed when a task ends and found again after
 * an agent restart.
 */
class GpuTaskTest extends RealAgentTestBase {
  @BeforeEach
  void fakeTwoGpus() throws Exception {
    Path smi = workDir.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\necho '0, GPU-aaaa, NVIDIA Test, 1024, 00000000:00:06.0'\n"
        + "echo '1, GPU-bbbb, NVIDIA Test, 1024, 00000000:00:07.0'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    System.setProperty("corral.nvidia-smi", smi.toString());
  }

  @AfterEach
  void realNvidiaSmi() {
    System.clearProperty("corral.nvidia-smi");
  }

  @Test
  void gpusAreOfferedAssignedExclusivelyAndReleased() {
    startAgent();
    assertThat(master.registrations().get(0).getInfo().getResourcesList())
        .anySatisfy(r -> {
          assertThat(r.getName()).isEqualTo("gpus");
          assertThat(r.getScalar()).isEqualTo(2.0);
        });

    String first = unique("gpu-a");
    String second = unique("gpu-b");
    String none = unique("gpu-none");
    master.runTask(withGpus(shellTask(first, "echo \"cuda=$CUDA_VISIBLE_DEVICES nv=$NVIDIA_VISIBLE_DEVICES\"; sleep 60"), 1));
    master.runTask(withGpus(shellTask(second, "echo \"cuda=$CUDA_VISIBLE_DEVICES\"; sleep 60"), 1));
    master.runTask(shellTask(none, "echo \"cuda=[$CUDA_VISIBLE_DEVICES] nv=$NVIDIA_VISIBLE_DEVICES\""));
    master.awaitStatus(first, TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(second, TaskState.TASK_RUNNING, LONG);
    master.awaitStatus(none, TaskState.TASK_FINISHED, LONG);
    await().atMost(LONG).until(() -> read(sandbox(first).resolve("stdout")).contains("cuda="));
    await().atMost(LONG).until(() -> read(sandbox(second).resolve("stdout")).contains("cuda="));
    assertThat(read(sandbox(first).resolve("stdout"))).isEqualTo("cuda=0 nv=0\n");
    assertThat(read(sandbox(second).resolve("stdout"))).isEqualTo("cuda=1\n");
    assertThat(read(sandbox(none).resolve("stdout"))).isEqualTo("cuda=[] nv=void\n");

    // both taken: a third is refused with the reason rather than sharing a device
    String third = unique("gpu-c");
    master.runTask(withGpus(shellTask(third, "true"), 1));
    TaskStatus refused = master.awaitStatus(third, TaskState.TASK_ERROR, LONG);
    assertThat(refused.getMessage()).contains("asks for 1 GPU(s) but only 0 are free");

    // the first ends: its GPU goes to the next task
    master.kill(first, 0.0);
    master.awaitStatus(first, TaskState.TASK_KILLED, LONG);
    String fourth = unique("gpu-d");
    master.runTask(withGpus(shellTask(fourth, "echo \"cuda=$CUDA_VISIBLE_DEVICES\""), 1));
    master.awaitStatus(fourth, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(fourth).resolve("stdout"))).isEqualTo("cuda=0\n");
  }

  @Test
  void anAgentRestartKeepsTheAssignmentOfRunningTasks() {
    Agent agent = startAgent();
    String held = unique("gpu-held");
    master.runTask(withGpus(shellTask(held, "exec sleep 60"), 1));
    master.awaitStatus(held, TaskState.TASK_RUNNING, LONG);
    agent.stop(false);

    startAgent();
    String next = unique("gpu-next");
    master.runTask(withGpus(shellTask(next, "echo \"cuda=$CUDA_VISIBLE_DEVICES\""), 1));
    master.awaitStatus(next, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(next).resolve("stdout"))).as("GPU 0 is still the recovered task's").isEqualTo("cuda=1\n");
  }

  private static TaskInfo withGpus(TaskInfo task, int gpus) {
    return task.toBuilder().addResources(Resource.newBuilder().setName("gpus").setRole("*").setScalar(gpus)).build();
  }
}

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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

  /**
   * The devices cgroup on a real kernel: the two fake GPUs' nodes are made with mknod for devices that open
   * on any Linux (1:8 /dev/random as GPU 0, 1:7 /dev/full as GPU 1), so an open that fails inside a task and
   * works outside is the cgroup's doing. A task given GPU 0 opens its node but not GPU 1's; a task without
   * GPUs opens neither.
   */
  @Test
  void processTasksCannotOpenTheGpusTheyWereNotGiven() throws Exception {
    Assumptions.assumeTrue(AgentTestSupport.ROOT && AgentTestSupport.CGROUP_V1
        && Files.exists(Path.of("/sys/fs/cgroup/devices/devices.deny")),
        "the devices cgroup needs root and cgroup v1 (on v2 process tasks get CUDA_VISIBLE_DEVICES only)");
    Path dev = Files.createDirectories(workDir.resolve("fake-dev"));
    mknod(dev.resolve("nvidia0"), 1, 8);
    mknod(dev.resolve("nvidia1"), 1, 7);
    System.setProperty("corral.gpu-dev-dir", dev.toString());
    try {
      Agent agent = startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of("process")));
      master.awaitConnected(LONG);
      assertThat(agent.describeIsolation()).contains("devices");
      // outside any task both nodes open
      assertThat(open(dev.resolve("nvidia0"))).isTrue();
      assertThat(open(dev.resolve("nvidia1"))).isTrue();

      String probe = "for n in 0 1; do if head -c1 " + dev + "/nvidia$n >/dev/null 2>err$n; then echo \"gpu$n=open\";"
          + " else echo \"gpu$n=$(cat err$n)\"; fi; done";
      String given = unique("gpu-given");
      String none = unique("gpu-none");
      master.runTask(withGpus(shellTask(given, probe), 1));
      master.runTask(shellTask(none, probe));
      master.awaitStatus(given, TaskState.TASK_FINISHED, LONG);
      master.awaitStatus(none, TaskState.TASK_FINISHED, LONG);
      assertThat(read(sandbox(given).resolve("stdout")).lines().toList())
          .containsExactly("gpu0=open", "gpu1=head: cannot open '" + dev + "/nvidia1' for reading: Operation not permitted");
      assertThat(read(sandbox(none).resolve("stdout")))
          .contains("gpu0=head: cannot open '" + dev + "/nvidia0' for reading: Operation not permitted")
          .contains("gpu1=head: cannot open '" + dev + "/nvidia1' for reading: Operation not permitted");
    } finally {
      System.clearProperty("corral.gpu-dev-dir");
    }
  }

  private static void mknod(Path node, int major, int minor) throws Exception {
    Process p = new ProcessBuilder("mknod", node.toString(), "c", Integer.toString(major), Integer.toString(minor))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  private static boolean open(Path node) {
    try (java.io.InputStream in = Files.newInputStream(node)) {
      return in.read() >= 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static TaskInfo withGpus(TaskInfo task, int gpus) {
    return task.toBuilder().addResources(Resource.newBuilder().setName("gpus").setRole("*").setScalar(gpus)).build();
  }
}

package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.VolumeMount;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An app's host volumes ({@code container.volumes} with a {@code hostPath}) on the process containerizer: a
 * sandbox-relative mount path links to the host's directory or file, a relative host path means a file in the
 * sandbox (one the task fetched), and a mount path outside the sandbox is refused with the reason, since only
 * a container can mount. The oci side is {@code OciContainerTest} and {@code ImageContainerTest}.
 */
class HostVolumeTest extends RealAgentTestBase {

  static TaskInfo withVolume(TaskInfo task, String mountPath, String hostPath, boolean readOnly) {
    return task.toBuilder().addVolumeMounts(VolumeMount.newBuilder().setName(mountPath).setMountPath(mountPath)
        .setHostPath(hostPath).setReadOnly(readOnly)).build();
  }

  @Test
  void sandboxRelativeMountsReachTheHostsDirectoryAndAFetchedFile() throws Exception {
    startAgent();
    Path shared = Files.createDirectories(workDir.resolve("shared-data"));
    Files.writeString(shared.resolve("in.txt"), "from-the-host\n");
    Path script = Files.writeString(workDir.resolve("pinger.py"), "print('pong')\n");
    String id = unique("vol");
    TaskInfo task = shellTask(id, "cat data/in.txt; echo written > data/out.txt; cat conf/pinger.py")
        .toBuilder().addFetch(FetchUri.newBuilder().setUri(script.toUri().toString())).build();
    task = withVolume(task, "data", shared.toString(), false);
    task = withVolume(task, "conf/pinger.py", "pinger.py", true);
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("from-the-host\nprint('pong')\n");
    assertThat(Files.readString(shared.resolve("out.txt"))).isEqualTo("written\n");
  }

  @Test
  void aPersistentVolumeOutlivesItsTaskUntilTheMasterNoLongerListsIt() throws Exception {
    startAgent();
    VolumeMount data = VolumeMount.newBuilder().setName("data").setMountPath("data").setPersistenceId("app#data#1")
        .build();
    String first = unique("pv");
    master.runTask(shellTask(first, "echo kept > data/state").toBuilder().addVolumeMounts(data).build());
    master.awaitStatus(first, TaskState.TASK_FINISHED, LONG);
    Path volume = workDir.resolve("volumes").resolve("app#data#1");
    assertThat(Files.readString(volume.resolve("state"))).isEqualTo("kept\n");

    String second = unique("pv");
    master.runTask(shellTask(second, "cat data/state").toBuilder().addVolumeMounts(data).build());
    master.awaitStatus(second, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(second).resolve("stdout"))).isEqualTo("kept\n");

    Files.createDirectories(workDir.resolve("volumes").resolve("other"));
    master.send(dev.corral.api.v1.MasterMessage.newBuilder().setVolumes(dev.corral.api.v1.Volumes.newBuilder()
        .addVolumes(dev.corral.api.v1.PersistentVolume.newBuilder().setPersistenceId("other").setRole("r")
            .setSizeMb(1))).build());
    org.awaitility.Awaitility.await().atMost(LONG).until(() -> !Files.exists(volume));
    assertThat(workDir.resolve("volumes").resolve("other")).isDirectory();
  }

  @Test
  void aMissingHostPathOrOneOutsideTheSandboxFailsTheTaskWithTheReason() {
    startAgent();
    String missing = unique("missing");
    master.runTask(withVolume(shellTask(missing, "true"), "data", workDir.resolve("nope").toString(), false));
    assertThat(master.awaitStatus(missing, TaskState.TASK_FAILED, LONG).getMessage())
        .contains("host path " + workDir.resolve("nope") + " does not exist on the agent");

    String escaping = unique("escape");
    master.runTask(withVolume(shellTask(escaping, "true"), "data", "../../etc", false));
    assertThat(master.awaitStatus(escaping, TaskState.TASK_FAILED, LONG).getMessage())
        .contains("host path ../../etc leaves the sandbox");
  }

  @Test
  void theProcessContainerizerRefusesAnAbsoluteMountPath() throws Exception {
    startAgent();
    Path dir = Files.createDirectories(workDir.resolve("abs"));
    String id = unique("abs");
    master.runTask(withVolume(shellTask(id, "true"), "/opt/data", dir.toString(), true));
    assertThat(master.awaitStatus(id, TaskState.TASK_ERROR, LONG).getMessage())
        .contains("mounts a volume at /opt/data, which needs a container");
  }
}

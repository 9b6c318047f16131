package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.agent.fetch.FileServer;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real agent fetches a task's artifacts before starting it, reports the fetch, and handles kills and restarts. */
class FetchTaskTest extends RealAgentTestBase {
  FileServer files;

  @BeforeEach
  void startFileServer() throws Exception {
    files = new FileServer();
    files.put("/tool.sh", "#!/bin/sh\necho fetched-tool-ran\n".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopFileServer() {
    files.close();
  }

  @Test
  void theTaskStartsWithItsArtifactsInTheSandboxAfterAStartingUpdate() {
    startAgent();
    String id = unique("fetch");
    master.runTask(withFetch(shellTask(id, "./tool.sh"), files.url("/tool.sh"), true));

    TaskStatus starting = master.awaitStatus(id, TaskState.TASK_STARTING, LONG);
    assertThat(starting.getMessage()).isEqualTo("fetching " + files.url("/tool.sh"));
    assertThat(starting.getUuid()).isNotEmpty();
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("fetched-tool-ran\n");
    assertThat(master.statuses(id).stream().map(TaskStatus::getState))
        .containsSubsequence(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
  }

  @Test
  void aFailedFetchFailsTheTaskWithoutStartingIt() {
    startAgent();
    String id = unique("missing");
    String url = files.url("/missing.tar.gz");
    master.runTask(withFetch(shellTask(id, "touch started"), url, false));

    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getMessage()).isEqualTo("fetch of " + url + " failed: 404 Not Found");
    assertThat(failed.getReason()).isEqualTo(StatusReason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(sandbox(id).resolve("started")).doesNotExist();
  }

  @Test
  void aKillWhileFetchingEndsTheTaskKilledAndOthersLaunchMeanwhile() {
    startAgent();
    files.hold();
    String slow = unique("slow");
    master.runTask(withFetch(shellTask(slow, "touch started"), files.url("/tool.sh"), false));
    master.awaitStatus(slow, TaskState.TASK_STARTING, LONG);

    String plain = unique("plain");
    master.runTask(shellTask(plain, "exec sleep 60"));
    master.awaitStatus(plain, TaskState.TASK_RUNNING, LONG); // a pending fetch holds up nobody

    master.kill(slow, null);
    TaskStatus killed = master.awaitStatus(slow, TaskState.TASK_KILLED, LONG);
    assertThat(killed.getMessage()).isEqualTo("Task killed on request while fetching");
    files.release();
    assertThat(sandbox(slow).resolve("started")).doesNotExist();
    assertThat(master.statuses(slow).stream().map(TaskStatus::getState)).doesNotContain(TaskState.TASK_RUNNING);
  }

  @Test
  void aTaskStillFetchingWhenTheAgentRestartsFails() throws Exception {
    Agent first = startAgent();
    files.hold();
    String id = unique("restart");
    master.runTask(withFetch(shellTask(id, "touch started"), files.url("/tool.sh"), false));
    master.awaitStatus(id, TaskState.TASK_STARTING, LONG);
    first.stop(false);
    int before = master.registrations().size();

    startAgent(AgentTestSupport.config(workDir));
    await().atMost(LONG).until(() -> master.registrations().size() > before);
    RegisterAgent again = master.registrations().get(master.registrations().size() - 1);
    TaskStatus listed = again.getTasksList().stream().filter(t -> t.getTask().getTaskId().equals(id))
        .map(AgentTask::getLatestStatus).findFirst().orElseThrow();
    assertThat(listed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(listed.getMessage()).isEqualTo("agent restarted while fetching");
    assertThat(listed.getReason()).isEqualTo(StatusReason.REASON_AGENT_RESTARTED);
    files.release();
    assertThat(Files.exists(sandbox(id).resolve("started"))).isFalse();
  }

  private static TaskInfo withFetch(TaskInfo task, String uri, boolean executable) {
    return task.toBuilder()
        .addFetch(FetchUri.newBuilder().setUri(uri).setExtract(true).setExecutable(executable))
        .build();
  }
}

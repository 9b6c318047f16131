package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.exec.ExecClient;
import dev.corral.agent.exec.Refusal;
import dev.corral.agent.files.FilesConfig;
import dev.corral.api.v1.TaskState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code corral task exec} against a real agent's HTTP server and real task processes. */
class ExecTest extends RealAgentTestBase {
  private Agent agent;

  private String runningTask(String script) {
    agent = startAgent(AgentTestSupport.config(workDir), FilesConfig.noServer().withBindAddress("127.0.0.1")
        .withPort(0));
    master.awaitConnected(LONG);
    String id = unique("exec");
    master.runTask(shellTask(id, script));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    return id;
  }

  private String url(String taskId, String query, String... command) {
    String cmd = List.of(command).stream().map(c -> "cmd=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return "ws://127.0.0.1:" + agent.httpPort() + "/exec/v1/tasks/" + taskId + "?" + cmd
        + (query.isEmpty() ? "" : "&" + query);
  }

  @Test
  void aCommandRunsInTheTasksSandboxWithItsEnvironmentAndReturnsItsExitCode() throws Exception {
    String id = runningTask("exec sleep 60");
    ExecClient exec = ExecClient.open(url(id, "", "sh", "-c", "echo hi; echo $MESOS_TASK_ID; pwd; exit 3"));

    JsonNode status = exec.status(LONG);
    assertThat(status.path("exitCode").asInt()).isEqualTo(3);
    assertThat(exec.stdout()).isEqualTo("hi\n" + id + "\n" + sandbox(id).toRealPath() + "\n");
    assertThat(exec.closeCode(LONG)).isEqualTo(1000);
  }

  @Test
  void withoutATerminalStdoutAndStderrArriveOnTheirChannels() throws Exception {
    String id = runningTask("exec sleep 60");
    ExecClient exec = ExecClient.open(url(id, "", "sh", "-c", "echo out; echo err >&2; [ -t 0 ] || echo no-tty"));

    assertThat(exec.status(LONG).path("exitCode").asInt()).isZero();
    assertThat(exec.stdout()).isEqualTo("out\nno-tty\n");
    assertThat(exec.stderr()).isEqualTo("err\n");
  }

  @Test
  void withATerminalTheCommandSeesAPtyAndItsResizes() throws Exception {
    String id = runningTask("exec sleep 60");
    // the initial size lands a moment after the start (ExecProcess.onTerminal): wait for it, then resize
    ExecClient exec = ExecClient.open(url(id, "tty=true&cols=80&rows=24", "sh", "-c",
        "tty; while [ \"$(stty size)\" = '0 0' ]; do sleep 0.01; done; stty size;"
            + " while [ \"$(stty size)\" = '24 80' ]; do sleep 0.05; done; stty size; echo $TERM"));
    await().atMost(LONG).until(() -> exec.stdout().contains("24 80"));
    exec.resize(100, 40);

    assertThat(exec.status(LONG).path("exitCode").asInt()).isZero();
    assertThat(exec.stdout()).contains("/dev/pts/").contains("40 100").contains("xterm");
    assertThat(exec.stderr()).isEmpty(); // a terminal has one stream
  }

  @Test
  void stdinReachesTheCommandUntilItsEnd() throws Exception {
    String id = runningTask("exec sleep 60");
    ExecClient exec = ExecClient.open(url(id, "stdin=true", "cat"));
    exec.stdin("hello\n");
    await().atMost(LONG).until(() -> exec.stdout().equals("hello\n"));
    exec.stdin("again\n");
    exec.endStdin();

    assertThat(exec.status(LONG).path("exitCode").asInt()).isZero();
    assertThat(exec.stdout()).isEqualTo("hello\nagain\n");
  }

  @Test
  void withoutStdinTheCommandReadsEndOfInputAtOnce() throws Exception {
    String id = runningTask("exec sleep 60");
    ExecClient exec = ExecClient.open(url(id, "", "sh", "-c", "cat; echo done"));

    assertThat(exec.status(LONG).path("exitCode").asInt()).isZero();
    assertThat(exec.stdout()).isEqualTo("done\n");
  }

  @Test
  void anEndedOrUnknownTaskIsAClearErrorAndTheAgentServesOn() throws Exception {
    String id = runningTask("exec sleep 60");
    String done = unique("done");
    master.runTask(shellTask(done, "true"));
    master.awaitStatus(done, TaskState.TASK_FINISHED, LONG);

    Refusal ended = upgrade(done);
    assertThat(ended.status()).isIn(404, 409);
    assertThat(ended.body()).contains(done);
    Refusal unknown = upgrade("no-such-task");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"message\"").contains("no-such-task");
    assertThat(Refusal.of(agent.httpPort(), "/exec/v1/tasks/" + id).status()).isEqualTo(400);

    ExecClient exec = ExecClient.open(url(id, "", "echo", "still-here"));
    assertThat(exec.status(LONG).path("exitCode").asInt()).isZero();
    assertThat(exec.stdout()).isEqualTo("still-here\n");
  }

  @Test
  void theCommandRunsInTheTasksCgroups() throws Exception {
    Assumptions.assumeTrue(AgentTestSupport.ROOT && (AgentTestSupport.CGROUP_V1 || AgentTestSupport.CGROUP_V2),
        "task cgroups need root and a cgroup filesystem");
    String id = runningTask("echo $$ > pid; exec sleep 60");
    await().atMost(LONG).until(() -> !read(sandbox(id).resolve("pid")).isBlank());
    String pid = read(sandbox(id).resolve("pid")).trim();
    String taskCgroups = Files.readString(Path.of("/proc", pid, "cgroup"));
    assertThat(taskCgroups).contains(id); // the task's own cgroups, not the agent's

    ExecClient exec = ExecClient.open(url(id, "", "cat", "/proc/self/cgroup"));
    assertThat(exec.status(LONG).path("exitCode").asInt()).isZero();
    assertThat(exec.stdout()).isEqualTo(taskCgroups);
  }

  @Test
  void aClientThatGoesAwayTakesItsCommandWithIt() throws Exception {
    String id = runningTask("exec sleep 60");
    ExecClient exec = ExecClient.open(url(id, "", "sh", "-c", "echo $$; exec sleep 300"));
    await().atMost(LONG).until(() -> exec.stdout().endsWith("\n"));
    long pid = Long.parseLong(exec.stdout().trim());
    assertThat(ProcessHandle.of(pid)).isPresent();

    exec.abort();
    await().atMost(LONG).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  private Refusal upgrade(String taskId) throws Exception {
    return Refusal.of(agent.httpPort(), "/exec/v1/tasks/" + taskId + "?cmd=true");
  }
}

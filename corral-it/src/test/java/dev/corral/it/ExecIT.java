package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corral task exec} end to end: the real CLI, through the gateway, into a task on the agent. */
class ExecIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  static SingleNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 10);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aCommandRunsInsideTheTaskAndItsExitCodeIsTheClis() throws Exception {
    assertThat(node.api.post("/v2/apps", """
        {"id": "/exec/sleeper", "instances": 1, "cpus": 0.1, "mem": 32, "cmd": "exec sleep 600"}
        """).status()).isEqualTo(201);
    String taskId = node.api.awaitTasks("/exec/sleeper", Marathon.running(1), WAIT).get(0).path("id").asText();

    CorralProcess.Result byId = CorralProcess.run(dir, WAIT, "task", "exec", "--url", node.url, taskId, "--",
        "sh", "-c", "echo $MESOS_TASK_ID; echo to-stderr >&2; exit 7");
    assertThat(byId.exitCode()).as(byId.output()).isEqualTo(7);
    assertThat(byId.output()).contains(taskId + "\n").contains("to-stderr");

    // by app id, and options of the command after TASK stay the command's
    CorralProcess.Result byApp = CorralProcess.run(dir, WAIT, "task", "exec", "--url", node.url, "exec/sleeper",
        "ls", "-a", ".");
    assertThat(byApp.exitCode()).as(byApp.output()).isZero();
    assertThat(byApp.output()).contains("stdout").contains("..");
  }

  @Test
  void anUnknownTaskIsAClearError() throws Exception {
    CorralProcess.Result r = CorralProcess.run(dir, WAIT, "task", "exec", "--url", node.url, "no-such-task", "--",
        "true");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("error:").contains("no-such-task");
  }
}

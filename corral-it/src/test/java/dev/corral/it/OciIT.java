package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `corral up --containerizers oci`: a Marathon app runs in runc containers, its output still lands in the
 * sandbox files that `corral task log` reads. Needs root, runc and cgroups (CI installs runc).
 */
class OciIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void marathonAppRunsInAnOciContainerAndItsLogsReachTheCli() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")),
        "runc is not installed (apt-get install runc)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "OCI containers need root");
    try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 10, "--containerizers", "oci")) {
      assertThat(node.process.output()).contains("Containers: oci");
      assertThat(node.api.post("/v2/apps", """
          {"id": "/oci/hello", "instances": 1, "cpus": 0.1, "mem": 64,
           "healthChecks": [{"protocol": "COMMAND", "command": {"value": "test $(ls /proc | grep -c '^[0-9]') -lt 10"},
             "gracePeriodSeconds": 30, "intervalSeconds": 1, "delaySeconds": 0}],
           "cmd": "echo pid=$$ procs=$(ls /proc | grep -c '^[0-9]'); touch /usr/oci-it 2>/dev/null || echo readonly-root; echo oops >&2; sleep 3600"}
          """).status()).isEqualTo(201);
      List<JsonNode> tasks = node.api.awaitTasks("/oci/hello", Marathon.running(1), WAIT);
      String taskId = tasks.get(0).path("id").asText();

      await().atMost(WAIT).until(() -> node.cli(WAIT, "task", "log", taskId).output().contains("readonly-root"));
      String out = node.cli(WAIT, "task", "log", taskId).output();
      int pid = Integer.parseInt(out.replaceAll("(?s).*pid=(\\d+).*", "$1"));
      // a fresh pid namespace numbers from 1; how many short-lived helpers ran first varies with load
      int procs = Integer.parseInt(out.replaceAll("(?s).*procs=(\\d+).*", "$1"));
      assertThat(pid).as("the task's own pid namespace").isLessThan(100);
      assertThat(procs).as("processes the task sees").isLessThan(20);
      assertThat(node.cli(WAIT, "task", "log", "--stderr", taskId).output()).contains("oops");

      // the COMMAND check runs inside the container: it sees only the container's few processes
      await().atMost(WAIT).until(() -> node.api.get("/v2/apps/oci/hello").json().at("/app/tasksHealthy").asInt() == 1);

      // exec enters the container: its pid namespace and its read-only root
      // (--url before TASK: everything after it belongs to the command)
      CorralProcess.Result exec = CorralProcess.run(dir, WAIT, "task", "exec", "--url", node.url, taskId, "--", "sh", "-c",
          "echo exec-pid=$$; touch /usr/exec-it 2>/dev/null || echo exec-readonly; exit 5");
      assertThat(exec.exitCode()).as(exec.output()).isEqualTo(5);
      assertThat(exec.output()).contains("exec-readonly");
      int execPid = Integer.parseInt(exec.output().replaceAll("(?s).*exec-pid=(\\d+).*", "$1"));
      assertThat(execPid).as("a pid of the container's namespace").isLessThan(100);

      assertThat(node.api.delete("/v2/apps/oci/hello").status()).isEqualTo(200);
    }
  }
}

package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** `corral master` and `corral agent` as separate processes: agent and master restarts keep tasks alive. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeparateProcessesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  static CorralProcess master;
  static CorralProcess agent;
  static Marathon api;
  static int httpPort;
  static int grpcPort;
  static int portBase;

  @BeforeAll
  static void start() throws Exception {
    httpPort = Ports.free();
    grpcPort = Ports.free();
    portBase = Ports.freeRange(20);
    api = new Marathon(httpPort);
    master = startMaster();
    agent = startAgent();
  }

  private static CorralProcess startMaster() throws Exception {
    CorralProcess p = CorralProcess.start(dir.resolve("master.log"), "master", "--work-dir", dir.resolve("master").toString(),
        "--http-port", Integer.toString(httpPort), "--grpc-port", Integer.toString(grpcPort), "--bind", "127.0.0.1",
        "--hostname", "127.0.0.1");
    p.awaitLog("Corral master", WAIT);
    return p;
  }

  private static CorralProcess startAgent() throws Exception {
    CorralProcess p = CorralProcess.start(dir.resolve("agent.log"), "agent", "--master", "127.0.0.1:" + grpcPort,
        "--work-dir", dir.resolve("agent").toString(), "--hostname", "127.0.0.1", "--attributes", "rack:r1",
        "--http-port", "0", "--http-bind", "127.0.0.1", "--discovery", "http://127.0.0.1:" + httpPort,
        "--resources", "cpus:2;mem:2048;disk:1024;ports:[" + portBase + "-" + (portBase + 19) + "]");
    p.awaitLog("Corral agent", WAIT);
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    // Agents leave tasks running when they stop: remove the apps first so the agent kills its tasks and
    // cleans up their cgroups itself.
    if (master != null && agent != null) {
      for (JsonNode app : api.get("/v2/apps").json().path("apps")) {
        api.delete("/v2/apps" + app.path("id").asText() + "?force=true");
      }
      // The last task leaves /v2/tasks once its terminal update arrived, which the agent sends only after
      // it removed the task's cgroups.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (api.get("/v2/tasks").json().path("tasks").size() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    if (agent != null) {
      agent.stop();
    }
    if (master != null) {
      master.stop();
    }
    TaskProcesses.killAllUnder(dir);
  }

  @Test
  @Order(1)
  void anAgentRestartKeepsTheSameTaskProcess() throws Exception {
    String app = """
        {"id": "/keep/sleeper", "instances": 1, "cmd": "sleep 100000", "cpus": 0.1, "mem": 16,
         "constraints": [["hostname", "UNIQUE"], ["rack", "CLUSTER", "r1"]]}
        """;
    assertThat(api.post("/v2/apps", app).status()).isEqualTo(201);
    JsonNode task = api.awaitTasks("/keep/sleeper", Marathon.running(1), WAIT).get(0);
    String taskId = task.path("id").asText();
    long pid = TaskProcesses.pidOf(dir, taskId, "sleep");

    agent.signal("TERM");
    agent.waitFor(WAIT);
    assertThat(TaskProcesses.alive(pid)).as("an agent stop leaves tasks running").isTrue();

    agent = startAgent();
    Thread.sleep(2_000); // let re-registration and reconciliation settle
    List<JsonNode> after = api.awaitTasks("/keep/sleeper", Marathon.running(1), WAIT);
    assertThat(after.get(0).path("id").asText()).isEqualTo(taskId);
    assertThat(TaskProcesses.pidOf(dir, taskId, "sleep")).isEqualTo(pid);
  }

  @Test
  @Order(2)
  void aTaskThatEndsWhileTheAgentIsDownIsReportedWithItsExitCode() throws Exception {
    String app = """
        {"id": "/exits", "instances": 1, "cmd": "while [ ! -f stop ]; do sleep 0.1; done; exit 7", "cpus": 0.1, "mem": 16,
         "backoffSeconds": 1}
        """;
    assertThat(api.post("/v2/apps", app).status()).isEqualTo(201);
    String taskId = api.awaitTasks("/exits", Marathon.running(1), WAIT).get(0).path("id").asText();

    agent.signal("TERM");
    agent.waitFor(WAIT);
    java.nio.file.Files.writeString(dir.resolve("agent/sandboxes/" + taskId + "/stop"), "");
    Thread.sleep(1_000);
    agent = startAgent();

    api.awaitTasks("/exits", ts -> ts.size() == 1 && !ts.get(0).path("id").asText().equals(taskId)
        && "TASK_RUNNING".equals(ts.get(0).path("state").asText()), WAIT);
    JsonNode failure = api.get("/v2/apps/exits?embed=apps.lastTaskFailure").json().path("app").path("lastTaskFailure");
    assertThat(failure.path("taskId").asText()).isEqualTo(taskId);
    assertThat(failure.path("message").asText()).contains("7");
    assertThat(api.delete("/v2/apps/exits?force=true").status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aMasterRestartRecoversAppsWithoutTouchingTasks() throws Exception {
    String taskId = api.tasks("/keep/sleeper", "TASK_RUNNING").get(0).path("id").asText();
    long pid = TaskProcesses.pidOf(dir, taskId, "sleep");

    master.stop();
    master = startMaster();

    List<JsonNode> after = api.awaitTasks("/keep/sleeper", Marathon.running(1), WAIT);
    assertThat(after.get(0).path("id").asText()).isEqualTo(taskId);
    assertThat(TaskProcesses.pidOf(dir, taskId, "sleep")).isEqualTo(pid);
    // Still one instance after reconciliation: nothing was launched twice.
    Thread.sleep(2_000);
    assertThat(api.tasks("/keep/sleeper", null)).hasSize(1);
  }
}

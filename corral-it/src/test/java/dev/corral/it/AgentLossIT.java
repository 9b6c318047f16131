package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that goes silent on a real cluster (its process stopped with SIGSTOP: the connection stays open,
 * nothing comes through, as in a partition): the master finds it lost by the default agent timeout, its tasks
 * become UNREACHABLE and are replaced on the other agent by the app's unreachableStrategy; when it comes back
 * (SIGCONT) the replaced task is killed and exactly the configured number of instances remain.
 */
class AgentLossIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String APP = "/loss/sleep";

  @TempDir
  static Path dir;
  static Cluster cluster;
  static Marathon api;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir, 2, i -> "agent-" + i, "cpus:1;mem:512;disk:512");
    api = cluster.api;
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      for (int i = 1; i <= 2; i++) {
        cluster.agent(i).signal("CONT");
      }
      cluster.close();
    }
  }

  @Test
  void aSilentAgentsTasksAreReplacedAndKilledWhenItReturns() throws Exception {
    assertThat(api.post("/v2/apps", """
        {"id": "/loss/sleep", "instances": 2, "cpus": 0.1, "mem": 16, "cmd": "sleep 100000",
         "unreachableStrategy": {"inactiveAfterSeconds": 1, "expungeAfterSeconds": 3600}}""").status())
        .isEqualTo(201);
    List<JsonNode> before = api.awaitTasks(APP, Marathon.running(2), WAIT);
    JsonNode lost = before.get(0);
    String lostTask = lost.path("id").asText();
    String lostHost = lost.path("host").asText();
    int lostIndex = Integer.parseInt(lostHost.substring("agent-".length()));
    String otherHost = lostIndex == 1 ? "agent-2" : "agent-1";

    long t0 = System.nanoTime();
    cluster.agent(lostIndex).signal("STOP");
    long deadline = t0 + WAIT.toNanos();
    while (!state(lostTask).equals("TASK_UNREACHABLE")) {
      assertThat(System.nanoTime()).as("task %s unreachable", lostTask).isLessThan(deadline);
      Thread.sleep(100);
    }
    double detected = (System.nanoTime() - t0) / 1e9;
    System.out.printf("agent-loss: silent agent found lost and its task UNREACHABLE after %.1f s"
        + " (default --agent-timeout 9s; target <= 10 s, Mesos 75 s)%n", detected);
    assertThat(api.get("/master/slaves").json().path("slaves").findValuesAsText("state")).contains("DISCONNECTED");

    // Replaced on the agent that is left once the instance has been unreachable for inactiveAfterSeconds.
    Set<String> first = before.stream().map(t -> t.path("id").asText()).collect(Collectors.toSet());
    List<JsonNode> replaced = api.awaitTasks(APP, ts -> ts.stream().anyMatch(t -> !first.contains(t.path("id").asText())
        && t.path("host").asText().equals(otherHost) && t.path("state").asText().equals("TASK_RUNNING")), WAIT);
    assertThat(replaced).isNotEmpty();

    cluster.agent(lostIndex).signal("CONT");
    long healDeadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<JsonNode> tasks = api.tasks(APP, null);
      Set<String> ids = tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toSet());
      long running = tasks.stream().filter(t -> t.path("state").asText().equals("TASK_RUNNING")).count();
      if (!ids.contains(lostTask) && running == 2 && tasks.size() == 2) {
        break;
      }
      assertThat(System.nanoTime()).as("after heal exactly 2 instances and %s gone; tasks %s", lostTask, tasks)
          .isLessThan(healDeadline);
      Thread.sleep(200);
    }
    Thread.sleep(3_000);
    assertThat(api.tasks(APP, "TASK_RUNNING")).as("still exactly the configured count").hasSize(2);
  }

  private static String state(String taskId) throws Exception {
    for (JsonNode t : api.tasks(APP, null)) {
      if (t.path("id").asText().equals(taskId)) {
        return t.path("state").asText();
      }
    }
    return "";
  }
}

package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.corral.api.v1.CheckProtocol;
import dev.corral.api.v1.HealthCheck;
import dev.corral.api.v1.ReadinessCheck;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health and readiness checks run by a real agent on real tasks; their updates reach the (fake) master. */
class HealthCheckTest extends RealAgentTestBase {
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A COMMAND check run every 200 ms from the start, no grace period. */
  private static HealthCheck.Builder command(String script) {
    return HealthCheck.newBuilder().setProtocol(CheckProtocol.CHECK_COMMAND).setCommand(script)
        .setIntervalSeconds(0.2).setTimeoutSeconds(5).setGracePeriodSeconds(0).setDelaySeconds(0)
        .setMaxConsecutiveFailures(3);
  }

  private static TaskInfo withCheck(TaskInfo task, HealthCheck.Builder check) {
    return task.toBuilder().addHealthChecks(check).build();
  }

  private List<TaskStatus> healthUpdates(String taskId) {
    return master.statuses(taskId).stream()
        .filter(s -> s.getReason() == StatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED).toList();
  }

  private TaskStatus awaitHealth(String taskId, java.util.function.Predicate<TaskStatus> ok) {
    TaskStatus[] found = new TaskStatus[1];
    await().atMost(LONG).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (TaskStatus s : healthUpdates(taskId)) {
        if (ok.test(s)) {
          found[0] = s;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private static int failures(TaskStatus s) {
    return s.getHealthResultsCount() == 0 ? 0 : s.getHealthResults(0).getConsecutiveFailures();
  }

  @Test
  void aCommandCheckReportsEachFailureThenTheRecoveryAndStopsWithTheTask() {
    master.autoAck(true);
    startAgent();
    String id = unique("cmd");
    // the check runs in the sandbox with the task's environment
    master.runTask(withCheck(shellTask(id, "exec sleep 60"), command("test -f healthy && test \"$PORT0\" = 31001")));
    master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);

    TaskStatus second = awaitHealth(id, s -> failures(s) == 2);
    assertThat(second.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(second.getHasHealth()).isTrue();
    assertThat(second.getHealthy()).isFalse();
    assertThat(second.getUuid()).as("acknowledged like any update").isNotEmpty();
    assertThat(second.getHealthResults(0).getLastFailureCause()).startsWith("command exited with status 1");
    assertThat(second.getMessage()).startsWith("health check 0 failed 2 consecutive times");
    List<Integer> counts = healthUpdates(id).stream().map(HealthCheckTest::failures).toList();
    assertThat(counts.subList(0, 2)).as("one update per failure").containsExactly(1, 2);

    touch(id, "healthy");
    TaskStatus healthy = awaitHealth(id, s -> s.getHasHealth() && s.getHealthy());
    assertThat(healthy.getHealthResults(0).getConsecutiveFailures()).isZero();
    assertThat(healthy.getHealthResults(0).getFirstSuccessMillis()).isPositive();

    master.kill(id, null);
    master.awaitStatus(id, TaskState.TASK_KILLED, LONG);
    int seen = master.statuses(id).size();
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
        .until(() -> master.statuses(id).size() == seen);
  }

  @Test
  void anHttpCheckAndAReadinessCheckAgainstALocalServer() throws Exception {
    AtomicInteger readyCalls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/ready", ex -> {
      ex.sendResponseHeaders(readyCalls.incrementAndGet() < 3 ? 503 : 204, -1);
      ex.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    master.autoAck(true);
    startAgent();
    String id = unique("http");
    TaskInfo task = shellTask(id, "exec sleep 60").toBuilder()
        .addHealthChecks(HealthCheck.newBuilder().setProtocol(CheckProtocol.CHECK_HTTP).setPort(port)
            .setPath("/health").setIntervalSeconds(0.2).setTimeoutSeconds(5))
        .addReadinessChecks(ReadinessCheck.newBuilder().setName("ready").setProtocol(CheckProtocol.CHECK_HTTP)
            .setPort(port).setPath("/ready").setIntervalSeconds(0.2).setTimeoutSeconds(5)
            .addHttpStatusCodesForReady(204))
        .build();
    master.runTask(task);

    TaskStatus running = master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
    assertThat(running.hasReady()).isTrue();
    assertThat(running.getReady()).as("not ready at launch").isFalse();
    TaskStatus healthy = awaitHealth(id, s -> s.getHasHealth() && s.getHealthy());
    assertThat(healthy.getHealthResultsList()).singleElement().satisfies(r -> assertThat(r.getAlive()).isTrue());
    await().atMost(LONG).until(() -> master.statuses(id).stream()
        .anyMatch(s -> s.getReason() == StatusReason.REASON_TASK_CHECK_STATUS_UPDATED && s.getReady()));
    assertThat(readyCalls.get()).as("checked until it passed").isEqualTo(3);
    int calls = readyCalls.get();
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> readyCalls.get() == calls);
  }

  @Test
  void checksResumeForATaskRecoveredAfterAnAgentRestart() {
    master.autoAck(true);
    Agent first = startAgent();
    String id = unique("recovered");
    master.runTask(withCheck(shellTask(id, "exec sleep 60"), command("test -f healthy")));
    awaitHealth(id, s -> failures(s) >= 1);
    first.stop(false);
    int before = healthUpdates(id).size();
    int registrations = master.registrations().size();

    startAgent(AgentTestSupport.config(workDir));
    await().atMost(LONG).until(() -> master.registrations().size() > registrations);
    await().atMost(LONG).until(() -> healthUpdates(id).size() > before);
    touch(id, "healthy");
    awaitHealth(id, s -> s.getHasHealth() && s.getHealthy());
  }

  @Test
  void anUnacknowledgedHealthUpdateIsReplacedByTheNextOne() {
    master.autoAck(false);
    startAgent(AgentTestSupport.config(workDir).withStatusRetryInterval(Duration.ofMillis(300)));
    master.awaitConnected(LONG);
    String id = unique("unacked");
    master.runTask(withCheck(shellTask(id, "exec sleep 60"), command("false")));
    awaitHealth(id, s -> failures(s) >= 3);
    int seen = master.statuses(id).size();
    // resends carry only the newest RUNNING update: counts never go back
    await().atMost(LONG).until(() -> master.statuses(id).size() > seen + 5);
    List<TaskStatus> all = master.statuses(id);
    int highest = 0;
    for (TaskStatus s : all.subList(seen, all.size())) {
      if (s.getReason() == StatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED) {
        assertThat(failures(s)).isGreaterThanOrEqualTo(highest);
        highest = failures(s);
      } else {
        assertThat(s.getReason()).as("the launch's RUNNING was replaced").isNotEqualTo(StatusReason.REASON_UNSPECIFIED);
      }
    }
  }

  private void touch(String taskId, String file) {
    try {
      Files.writeString(sandbox(taskId).resolve(file), "");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

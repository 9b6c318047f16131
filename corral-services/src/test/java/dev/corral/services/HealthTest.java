package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.CheckProtocol;
import dev.corral.api.v1.HealthCheckResult;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.services.api.AppJson;
import dev.corral.services.api.TaskJson;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Health reports from agents: recorded without a state change, shown in the API, and acted on by kills. */
class HealthTest {
  private static final String HTTP_APP = """
      {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16, "instances": %d,
       "portDefinitions": [{"port": 0, "name": "http"}, {"port": 0, "name": "admin"}],
       "healthChecks": [{"protocol": "HTTP", "portIndex": 1, "path": "/ping", "maxConsecutiveFailures": 3,
                         "intervalSeconds": 0, "timeoutSeconds": 0, "gracePeriodSeconds": 5}]}""";

  private static Harness launched(String json) {
    Harness h = Harness.running();
    h.create(json);
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    return h;
  }

  /** A health update as the agent sends it: RUNNING, reason health, one result for check 0. */
  private static void report(Harness h, String taskId, boolean alive, int failures) {
    h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING).setAgentId("agent-host-a")
        .setReason(StatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED).setUuid(UUID.randomUUID().toString())
        .setHasHealth(true).setHealthy(alive)
        .addHealthResults(HealthCheckResult.newBuilder().setIndex(0).setAlive(alive).setConsecutiveFailures(failures)
            .setFirstSuccessMillis(alive ? 1_000 : 0).setLastSuccessMillis(alive ? 2_000 : 0)
            .setLastFailureMillis(alive ? 0 : 3_000).setLastFailureCause(alive ? "" : "HTTP status 500"))
        .build());
  }

  private static Instance byTask(Harness h, String taskId) {
    return h.instances().stream().filter(i -> taskId.equals(i.taskId())).findFirst().orElseThrow();
  }

  @Test
  void theTaskInfoCarriesTheChecksResolvedToTheTasksHostPorts() {
    Harness h = launched("""
        {"id": "/c", "cmd": "x", "cpus": 0.1, "mem": 16,
         "portDefinitions": [{"port": 0, "name": "http"}, {"port": 0, "name": "ready"}],
         "healthChecks": [{"protocol": "MESOS_HTTPS", "portIndex": 0, "path": "/h", "ignoreHttp1xx": true},
                          {"protocol": "TCP", "port": 9999, "intervalSeconds": 0},
                          {"protocol": "COMMAND", "command": {"value": "test -f ok"}, "ipProtocol": "IPv6"}],
         "readinessChecks": [{"portName": "ready", "path": "/r", "httpStatusCodesForReady": [200, 204],
                              "intervalSeconds": 3, "timeoutSeconds": 1}]}""");
    TaskInfo task = h.driver.launchedTasks().get(0);
    List<Integer> ports = h.instances("/c").get(0).task().hostPorts();
    assertThat(task.getHealthChecksCount()).isEqualTo(3);
    var https = task.getHealthChecks(0);
    assertThat(https.getProtocol()).isEqualTo(CheckProtocol.CHECK_HTTPS);
    assertThat(https.getPort()).isEqualTo(ports.get(0));
    assertThat(https.getPath()).isEqualTo("/h");
    assertThat(https.getIgnoreHttp1Xx()).isTrue();
    assertThat(https.getGracePeriodSeconds()).isEqualTo(300);
    assertThat(https.getIntervalSeconds()).isEqualTo(60);
    assertThat(https.getTimeoutSeconds()).isEqualTo(20);
    assertThat(https.getDelaySeconds()).isEqualTo(15);
    assertThat(https.getMaxConsecutiveFailures()).isEqualTo(3);
    var tcp = task.getHealthChecks(1);
    assertThat(tcp.getProtocol()).isEqualTo(CheckProtocol.CHECK_TCP);
    assertThat(tcp.getPort()).isEqualTo(9999);
    assertThat(tcp.getIntervalSeconds()).as("zero would spin").isEqualTo(1);
    var command = task.getHealthChecks(2);
    assertThat(command.getProtocol()).isEqualTo(CheckProtocol.CHECK_COMMAND);
    assertThat(command.getCommand()).isEqualTo("test -f ok");
    assertThat(command.getIpv6()).isTrue();
    assertThat(task.getReadinessChecksList()).singleElement().satisfies(r -> {
      assertThat(r.getPort()).isEqualTo(ports.get(1));
      assertThat(r.getPath()).isEqualTo("/r");
      assertThat(r.getHttpStatusCodesForReadyList()).containsExactly(200, 204);
      assertThat(r.getIntervalSeconds()).isEqualTo(3);
    });
  }

  @Test
  void aHealthUpdateChangesTheTaskRecordNotTheStateAndIsStoredBeforeItIsAcknowledged() {
    Harness h = launched(HTTP_APP.formatted(1));
    Instance before = h.instances("/web").get(0);
    assertThat(before.task().healthy()).as("unknown before the first report").isNull();
    String taskId = before.taskId();
    int acks = h.driver.acks().size();

    report(h, taskId, true, 0);

    Instance after = h.instances("/web").get(0);
    assertThat(after.state()).isEqualTo(InstanceState.RUNNING);
    assertThat(after.task().startedAt()).isEqualTo(before.task().startedAt());
    assertThat(after.task().healthy()).isTrue();
    assertThat(h.driver.acks()).hasSize(acks + 1);
    Instance stored = InstanceCodec.fromBytes(h.store.get(ServicePaths.instance(after.id())).orElseThrow());
    assertThat(stored.task().healthy()).isTrue();
    assertThat(stored.task().health().result(0).firstSuccess()).isNotNull();

    // a status that says nothing of health (e.g. a reconciliation answer) keeps it
    h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING).build());
    assertThat(h.instances("/web").get(0).task().healthy()).isTrue();
  }

  @Test
  void readinessIsRecordedAsReported() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/r", "cmd": "x", "cpus": 0.1, "mem": 16, "portDefinitions": [{"port": 0, "name": "http-api"}],
         "readinessChecks": [{}]}""");
    h.offers(Offers.big("o1", "host-a"));
    String taskId = h.instances("/r").get(0).taskId();
    assertThat(h.instances("/r").get(0).task().ready()).as("not reported").isNull();
    h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING).setReady(false).setUuid("u1")
        .build());
    assertThat(h.instances("/r").get(0).task().ready()).isFalse();
    h.send(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING).setReady(true).setUuid("u2")
        .setReason(StatusReason.REASON_TASK_CHECK_STATUS_UPDATED).build());
    assertThat(h.instances("/r").get(0).task().ready()).isTrue();
    assertThat(h.instances("/r").get(0).task().healthy()).isNull();
  }

  @Test
  void theApiCountsHealthyAndUnhealthyTasksAndShowsEachTasksResults() {
    Harness h = launched(HTTP_APP.formatted(3));
    List<Instance> all = h.instances("/web");
    report(h, all.get(0).taskId(), true, 0);
    report(h, all.get(1).taskId(), false, 1);

    ObjectNode app = AppJson.render(h.view().apps().get("/web"), h.view(), AppJson.SINGLE);
    assertThat(app.get("tasksRunning").asInt()).isEqualTo(3);
    assertThat(app.get("tasksHealthy").asInt()).isEqualTo(1);
    assertThat(app.get("tasksUnhealthy").asInt()).as("the third is not known yet").isEqualTo(1);

    Instance sick = byTask(h, all.get(1).taskId());
    JsonNode task = TaskJson.render(sick, h.view().apps().get("/web"));
    JsonNode result = task.get("healthCheckResults").get(0);
    assertThat(result.get("alive").asBoolean()).isFalse();
    assertThat(result.get("consecutiveFailures").asInt()).isEqualTo(1);
    assertThat(result.get("lastFailure").asText()).isEqualTo("1970-01-01T00:00:03.000Z");
    assertThat(result.get("lastFailureCause").asText()).isEqualTo("HTTP status 500");
    assertThat(result.get("firstSuccess").isNull()).isTrue();
    assertThat(result.get("lastSuccess").isNull()).isTrue();
    assertThat(result.get("instanceId").asText()).isEqualTo(sick.id());
    Instance unknown = byTask(h, all.get(2).taskId());
    assertThat(TaskJson.render(unknown, h.view().apps().get("/web")).get("healthCheckResults")).isEmpty();
  }

  @Test
  void aTaskFailingItsCheckTooOftenIsKilledAndReplaced() {
    Harness h = launched(HTTP_APP.formatted(1));
    Instance sick = h.instances("/web").get(0);
    String taskId = sick.taskId();
    report(h, taskId, false, 1);
    report(h, taskId, false, 2);
    assertThat(h.driver.kills()).isEmpty();

    report(h, taskId, false, 3);

    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(taskId);
    assertThat(byTask(h, taskId).goal()).isEqualTo(Goal.DECOMMISSIONED);
    assertThat(h.instances("/web")).as("a replacement waits for an offer").hasSize(2)
        .anySatisfy(i -> assertThat(i.isWaiting()).isTrue());
    var failure = h.view().failures().get("/web");
    assertThat(failure.taskId()).isEqualTo(taskId);
    assertThat(failure.message()).isEqualTo("Task was unhealthy: health check 0 (HTTP) failed 3 consecutive times"
        + " (last: HTTP status 500); killed and replaced");

    report(h, taskId, false, 4);
    assertThat(h.driver.kills()).as("killed once").hasSize(1);
    h.status(taskId, TaskState.TASK_KILLED);
    assertThat(h.instances("/web")).singleElement().satisfies(i -> assertThat(i.isWaiting()).isTrue());
    assertThat(h.view().failures().get("/web").message()).as("the kill's end is no new failure").contains("unhealthy");
    h.offers(Offers.big("o2", "host-b"));
    assertThat(h.driver.launches()).hasSize(2);
  }

  @Test
  void noKillWhenMaxConsecutiveFailuresIsZero() {
    Harness h = launched("""
        {"id": "/w", "cmd": "x", "cpus": 0.1, "mem": 16,
         "healthChecks": [{"protocol": "TCP", "maxConsecutiveFailures": 0}]}""");
    String taskId = h.instances("/w").get(0).taskId();
    report(h, taskId, false, 50);
    assertThat(h.driver.kills()).isEmpty();
    assertThat(h.instances("/w").get(0).task().healthy()).isFalse();
  }

  @Test
  void anAppLosesAtMostTenPercentOfItsInstancesToHealthKillsAtOnce() {
    Harness h = launched(HTTP_APP.formatted(20));
    List<String> tasks = h.instances("/web").stream().map(Instance::taskId).toList();
    for (String t : tasks.subList(0, 3)) {
      report(h, t, false, 3);
    }
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactlyElementsOf(tasks.subList(0, 2));
    assertThat(byTask(h, tasks.get(2)).goal()).as("passed over").isEqualTo(Goal.RUNNING);

    h.status(tasks.get(0), TaskState.TASK_KILLED);
    report(h, tasks.get(2), false, 4); // considered again on its next report
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).contains(tasks.get(2));
  }

  @Test
  void tasksOfAnOlderConfigAreLeftToTheReplacement() {
    Harness h = launched(HTTP_APP.formatted(1));
    String taskId = h.instances("/web").get(0).taskId();
    // The start is still under way (the task was never healthy): force the change.
    h.await(h.scheduler.updateApp("/web", Harness.object("{\"cmd\": \"serve --v2\"}"), true, true, null));
    report(h, taskId, false, 3);
    // The rolling replacement retires an old task that serves nobody; the health policy does not count it.
    assertThat(h.view().failures().get("/web")).as("no unhealthy kill recorded").isNull();
    LaunchedTask t = byTask(h, taskId).task();
    assertThat(t.consecutiveFailures()).isEqualTo(3);
    assertThat(byTask(h, taskId).state()).isEqualTo(InstanceState.RUNNING);
  }
}

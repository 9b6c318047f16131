package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container and node metrics through the gateway and the CLI, on {@code corral up}: a task burns cpu, and its
 * cpu time read through {@code /system/v1/metrics/v0/containers/{id}} grows.
 */
class MetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Root with cpu accounting in cgroups: the agent gives tasks cgroups whose counters can be read. */
  private static final boolean CGROUPS = "root".equals(System.getProperty("user.name"))
      && (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
      || Files.exists(Path.of("/sys/fs/cgroup/cpuacct/cpuacct.usage"))
      || Files.exists(Path.of("/sys/fs/cgroup/cpu/cpuacct.usage")));

  @TempDir
  Path dir;

  @Test
  void aBusyTasksMetricsThroughTheGatewayAndTheCli() throws Exception {
    try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:512", 10)) {
      assertThat(node.api.post("/v2/apps", """
          {"id": "/metrics/burn", "instances": 1, "cpus": 0.2, "mem": 64, "cmd": "while :; do :; done"}
          """).status()).isEqualTo(201);
      String taskId = node.api.awaitTasks("/metrics/burn", Marathon.running(1), WAIT).get(0).path("id").asText();
      String path = "/system/v1/metrics/v0/containers/" + taskId;

      JsonNode first = json(node, path);
      JsonNode dims = first.path("dimensions");
      assertThat(dims.path("task_id").asText()).isEqualTo(taskId);
      assertThat(dims.path("container_id").asText()).isEqualTo(taskId);
      assertThat(dims.path("app_id").asText()).isEqualTo("/metrics/burn");
      String agentId = dims.path("agent_id").asText();
      assertThat(agentId).isNotEmpty();
      if (CGROUPS) {
        double before = value(first, "cpus.total.time");
        await().atMost(WAIT).untilAsserted(() -> assertThat(value(json(node, path), "cpus.total.time"))
            .isGreaterThan(before));
        assertThat(value(first, "mem.total")).isGreaterThan(0);
        assertThat(value(first, "cpus.limit")).isEqualTo(0.2);
      }

      // the agent's API through /system/v1/agent/{id}/…, and the agent list
      assertThat(json(node, "/master/slaves").path("slaves").get(0).path("id").asText()).isEqualTo(agentId);
      assertThat(json(node, "/system/v1/agent/" + agentId + "/metrics/v0/containers").toString()).contains(taskId);
      JsonNode nodeMetrics = json(node, "/system/v1/agent/" + agentId + "/metrics/v0/node");
      assertThat(value(nodeMetrics, "memory.total")).isGreaterThan(0);
      assertThat(value(nodeMetrics, "cpu.cores")).isGreaterThanOrEqualTo(1);
      assertThat(node.api.get("/system/v1/agent/nobody/metrics/v0/node").status()).isEqualTo(404);
      assertThat(node.api.get("/metrics").body()).contains("corral_master_tasks{state=\"TASK_RUNNING\"} 1")
          .contains("corral_master_agents{state=\"CONNECTED\"} 1");

      CorralProcess.Result task = node.cli(WAIT, "task", "metrics", "metrics/burn");
      assertThat(task.exitCode()).as(task.output()).isZero();
      assertThat(task.output()).contains("NAME").contains("VALUE").contains("UNIT");
      if (CGROUPS) {
        assertThat(task.output()).contains("cpus.user.time").contains("mem.total");
      }
      CorralProcess.Result nodeCli = node.cli(WAIT, "node", "metrics", "127.0.0.1");
      assertThat(nodeCli.exitCode()).as(nodeCli.output()).isZero();
      assertThat(nodeCli.output()).contains("load.1min").contains("memory.total");
      CorralProcess.Result list = node.cli(WAIT, "node", "list");
      assertThat(list.output()).contains(agentId).contains("active");
    }
  }

  private static JsonNode json(SingleNode node, String path) throws Exception {
    Marathon.Response r = node.api.get(path);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return Marathon.JSON.readTree(r.body());
  }

  private static double value(JsonNode body, String name) {
    for (JsonNode p : body.path("datapoints")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("value").asDouble();
      }
    }
    throw new AssertionError("no datapoint " + name + " in " + body);
  }
}

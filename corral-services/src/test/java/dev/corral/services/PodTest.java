package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.services.api.PodJson;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.engine.CommandException;
import dev.corral.services.engine.Deployment;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Pods through the scheduler: validation, task groups, the instance as the sum of its containers, scaling. */
class PodTest {
  private static final String POD = """
      {"id": "/shop/web", "scaling": {"kind": "fixed", "instances": 1},
       "environment": {"STAGE": "test"},
       "volumes": [{"name": "shared"}],
       "containers": [
         {"name": "server", "resources": {"cpus": 0.2, "mem": 64},
          "exec": {"command": {"shell": "python3 -m http.server $ENDPOINT_WEB"}},
          "endpoints": [{"name": "web", "hostPort": 0, "protocol": ["http"]}],
          "healthCheck": {"http": {"endpoint": "web", "path": "/"}, "intervalSeconds": 2},
          "volumeMounts": [{"name": "shared", "mountPath": "data"}]},
         {"name": "client", "resources": {"cpus": 0.1, "mem": 32},
          "exec": {"command": {"shell": "curl localhost:$ENDPOINT_WEB > data/out"}},
          "volumeMounts": [{"name": "shared", "mountPath": "data"}]}],
       "networks": [{"mode": "host"}]}""";

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Harness running() {
    return Harness.running();
  }

  @Test
  void invalidPodsAreRefusedWithTheFieldPath() {
    Harness h = running();
    ObjectNode pod = json(POD);
    ((ObjectNode) pod.get("containers").get(1)).put("name", "server");
    ((ObjectNode) pod.get("containers").get(0).get("volumeMounts").get(0)).put("name", "nope");
    ((ObjectNode) pod.get("containers").get(0).get("resources")).put("mem", -1);
    assertThatThrownBy(() -> h.await(h.scheduler.createPod(pod, false)))
        .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.violations())
            .extracting(v -> v.path())
            .contains("/containers/1/name", "/containers/0/volumeMounts/0/name", "/containers/0/resources/mem"));
    ObjectNode empty = json("{\"id\": \"/x\", \"containers\": []}");
    assertThatThrownBy(() -> h.await(h.scheduler.createPod(empty, false)))
        .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.violations())
            .extracting(v -> v.path()).containsExactly("/containers"));
    ObjectNode badCheck = json(POD);
    ((ObjectNode) badCheck.get("containers").get(0).get("healthCheck").get("http")).put("endpoint", "other");
    assertThatThrownBy(() -> h.await(h.scheduler.createPod(badCheck, false)))
        .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.violations())
            .extracting(v -> v.path()).containsExactly("/containers/0/healthCheck/http/endpoint"));
    assertThat(h.view().apps()).isEmpty();
  }

  @Test
  void anInstanceLaunchesAsOneTaskGroupWithEachContainersShare() {
    Harness h = running();
    h.await(h.scheduler.createPod(json(POD), false));
    AppDefinition pod = h.view().apps().get("/shop/web");
    // containers plus Marathon's default executor resources
    assertThat(pod.cpus()).isEqualTo(0.4);
    assertThat(pod.mem()).isEqualTo(128.0);
    assertThat(h.view().deployments().values().iterator().next().steps().get(0).actions().get(0).action())
        .isEqualTo(Deployment.Action.StartPod);

    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());

    assertThat(h.driver.launchedGroups()).hasSize(1);
    TaskGroupInfo group = h.driver.launchedGroups().get(0);
    assertThat(group.getTasksList()).extracting(TaskInfo::getName).containsExactly("server", "client");
    TaskInfo server = group.getTasks(0);
    TaskInfo client = group.getTasks(1);
    assertThat(server.getTaskId()).isEqualTo(group.getGroupId() + ".server");
    assertThat(server.getGroupId()).isEqualTo(group.getGroupId());
    String port = server.getCommand().getEnvironmentMap().get("ENDPOINT_WEB");
    assertThat(Integer.parseInt(port)).isBetween(31000, 31005);
    assertThat(client.getCommand().getEnvironmentMap()).containsEntry("ENDPOINT_WEB", port)
        .containsEntry("STAGE", "test").containsEntry("MARATHON_APP_ID", "/shop/web");
    assertThat(server.getHealthChecks(0).getPort()).isEqualTo(Integer.parseInt(port));
    assertThat(server.getVolumeMountsList()).extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("shared:data");
    assertThat(scalar(server, "cpus")).isEqualTo(0.3); // its own 0.2 and the executor's 0.1
    assertThat(scalar(client, "cpus")).isEqualTo(0.1);
    assertThat(scalar(client, "mem")).isEqualTo(32.0);

    Instance instance = h.instances("/shop/web").get(0);
    assertThat(instance.task().containers()).hasSize(2);
    h.status(server.getTaskId(), TaskState.TASK_RUNNING);
    assertThat(h.instances("/shop/web").get(0).state()).isEqualTo(InstanceState.STAGING);
    h.status(client.getTaskId(), TaskState.TASK_RUNNING);
    assertThat(h.instances("/shop/web").get(0).state()).isEqualTo(InstanceState.RUNNING);

    JsonNode status = PodJson.status(h.view().apps().get("/shop/web"), h.view());
    JsonNode containers = status.get("instances").get(0).get("containers");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).get("status").asText()).isEqualTo("TASK_RUNNING");
    assertThat(containers.get(0).get("endpoints").get(0).get("allocatedHostPort").asText()).isEqualTo(port);
    assertThat(status.get("instances").get(0).get("agentHostname").asText()).isEqualTo("host-a");
    // the server has a health check without a result yet: the instance does not serve
    assertThat(status.get("instances").get(0).get("status").asText()).isEqualTo("DEGRADED");
  }

  @Test
  void aFailedContainerFailsTheInstanceWhichIsReplacedAsAWhole() {
    Harness h = running();
    h.await(h.scheduler.createPod(json(POD), false));
    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());
    TaskGroupInfo group = h.driver.launchedGroups().get(0);
    h.status(group.getTasks(0).getTaskId(), TaskState.TASK_RUNNING);
    h.status(group.getTasks(1).getTaskId(), TaskState.TASK_RUNNING);

    h.status(group.getTasks(1).getTaskId(), TaskState.TASK_FAILED);

    assertThat(h.driver.kills()).extracting(k -> k.taskId()).containsExactly(group.getTasks(0).getTaskId());
    Instance instance = h.instances("/shop/web").get(0);
    assertThat(instance.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(h.view().failures().get("/shop/web").taskId()).isEqualTo(group.getGroupId());
    JsonNode status = PodJson.status(h.view().apps().get("/shop/web"), h.view());
    assertThat(status.get("terminationHistory").get(0).get("containers").get(0).get("lastKnownState").asText())
        .isEqualTo("TASK_FAILED");
    assertThat(status.get("status").asText()).as("its start deployment is not over").isEqualTo("DEPLOYING");
    assertThat(status.get("message").asText()).contains("backoff").contains("last failure: Task ended as TASK_FAILED");
    // the killed sibling's end finds no instance any more and changes nothing
    h.status(group.getTasks(0).getTaskId(), TaskState.TASK_KILLED);
    assertThat(h.instances("/shop/web")).hasSize(1);
    assertThat(h.instances("/shop/web").get(0).state()).isEqualTo(InstanceState.SCHEDULED);
  }

  @Test
  void aContainerFailingItsHealthCheckTooOftenTakesItsInstanceDown() {
    Harness h = running();
    h.await(h.scheduler.createPod(json(POD), false));
    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());
    TaskGroupInfo group = h.driver.launchedGroups().get(0);
    h.status(group.getTasks(0).getTaskId(), TaskState.TASK_RUNNING);
    h.status(group.getTasks(1).getTaskId(), TaskState.TASK_RUNNING);
    h.send(dev.corral.api.v1.TaskStatus.newBuilder().setTaskId(group.getTasks(0).getTaskId())
        .setState(TaskState.TASK_RUNNING).setAgentId("agent-host-a").setUuid("u1").setHasHealth(true).setHealthy(false)
        .addHealthResults(dev.corral.api.v1.HealthCheckResult.newBuilder().setIndex(0).setAlive(false)
            .setConsecutiveFailures(3).setLastFailureCause("HTTP 500"))
        .build());

    assertThat(h.instances("/shop/web").get(0).goal()).isEqualTo(Goal.DECOMMISSIONED);
    assertThat(h.driver.kills()).extracting(k -> k.taskId())
        .containsExactlyInAnyOrder(group.getTasks(0).getTaskId(), group.getTasks(1).getTaskId());
    assertThat(h.view().failures().get("/shop/web").message())
        .startsWith("Task was unhealthy: container server's health check (HTTP) failed 3 consecutive times");
    // a replacement instance waits for an offer
    assertThat(h.instances("/shop/web")).anyMatch(i -> i.goal() == Goal.RUNNING && i.isWaiting());
  }

  @Test
  void scalingAndDeletingKillEveryContainerOfAnInstance() {
    Harness h = running();
    h.await(h.scheduler.createPod(json(POD), false));
    h.offers(Offers.offer("o1", "host-a").cpus(4).mem(2048).disk(100).ports(31000, 31010).build());
    ObjectNode two = json(POD);
    ((ObjectNode) two.get("scaling")).put("instances", 2);
    h.await(h.scheduler.updatePod("/shop/web", two, true));
    assertThat(h.view().deployments().values()).anySatisfy(d -> assertThat(d.steps().get(0).actions().get(0).action())
        .isEqualTo(Deployment.Action.ScalePod));
    h.offers(Offers.offer("o2", "host-b").cpus(4).mem(2048).disk(100).ports(31000, 31010).build());
    assertThat(h.driver.launchedGroups()).hasSize(2);
    assertThat(h.instances("/shop/web")).hasSize(2).allMatch(i -> i.state() == InstanceState.STAGING);

    h.await(h.scheduler.deletePod("/shop/web", true));
    assertThat(h.driver.kills()).hasSize(4);
    assertThat(h.instances("/shop/web")).allMatch(i -> i.goal() == Goal.DECOMMISSIONED);
    for (TaskGroupInfo g : h.driver.launchedGroups()) {
      for (TaskInfo t : g.getTasksList()) {
        h.status(t.getTaskId(), TaskState.TASK_KILLED);
      }
    }
    assertThat(h.instances("/shop/web")).isEmpty();
    assertThat(h.view().deployments()).isEmpty();
  }

  @Test
  void aDrainingAgentsPodInstanceStartsElsewhereBeforeItIsKilled() {
    Harness h = running();
    ObjectNode pod = json(POD);
    ((ObjectNode) pod.get("containers").get(0)).remove("healthCheck");
    h.await(h.scheduler.createPod(pod, false));
    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());
    TaskGroupInfo first = h.driver.launchedGroups().get(0);
    first.getTasksList().forEach(t -> h.status(t.getTaskId(), TaskState.TASK_RUNNING));
    String drained = first.getTasks(0).getAgentId();

    h.driver.scheduler().draining(drained, true, 0);
    h.loop.runPending();

    // the floor (minimumHealthCapacity 1) keeps the old instance until the new one runs
    assertThat(h.driver.kills()).isEmpty();
    assertThat(h.instances("/shop/web")).anyMatch(i -> i.goal() == Goal.RUNNING && i.isWaiting());
    h.offers(Offers.offer("o2", "host-b").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());
    assertThat(h.driver.launchedGroups()).hasSize(2);
    TaskGroupInfo second = h.driver.launchedGroups().get(1);
    assertThat(second.getTasks(0).getAgentId()).isNotEqualTo(drained);
    second.getTasksList().forEach(t -> h.status(t.getTaskId(), TaskState.TASK_RUNNING));

    assertThat(h.driver.kills()).extracting(k -> k.taskId())
        .containsExactlyInAnyOrder(first.getTasks(0).getTaskId(), first.getTasks(1).getTaskId());
    first.getTasksList().forEach(t -> h.status(t.getTaskId(), TaskState.TASK_KILLED));
    assertThat(h.instances("/shop/web")).singleElement()
        .satisfies(i -> assertThat(i.task().agentId()).isEqualTo(second.getTasks(0).getAgentId()));
  }

  private static double scalar(TaskInfo task, String name) {
    return task.getResourcesList().stream().filter(r -> r.getName().equals(name))
        .mapToDouble(r -> r.getScalar()).sum();
  }
}

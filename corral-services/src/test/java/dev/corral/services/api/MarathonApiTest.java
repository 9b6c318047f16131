package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import dev.corral.services.engine.ServicePaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MarathonApiTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void pingLeaderAndInfo() {
    assertThat(api.get("/ping").raw()).isEqualTo("pong");
    assertThat(api.get("/v2/leader").json().get("leader").asText()).isEqualTo("localhost:8080");
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/info").json().path("frameworkId").asText().equals("fw-1"));
    JsonNode info = api.get("/v2/info").json();
    assertThat(info.get("leader").asText()).isEqualTo("localhost:8080");
    assertThat(info.get("elected").asBoolean()).isTrue();
    assertThat(info.get("version").asText()).isEqualTo(dev.corral.common.Version.get());
  }

  @Test
  void createGetListUpdateAndDeleteAnApp() {
    ApiFixture.Response created = api.post("/v2/apps", """
        {"id": "/prod/web", "cmd": "sleep 1000", "cpus": 0.1, "mem": 16, "instances": 2,
         "someFutureField": {"kept": true}}""");
    assertThat(created.status()).isEqualTo(201);
    String deploymentId = created.json().get("deployments").get(0).get("id").asText();
    assertThat(created.header("Marathon-Deployment-Id")).isEqualTo(deploymentId);
    assertThat(created.json().get("id").asText()).isEqualTo("/prod/web");
    assertThat(created.json().get("someFutureField")).isEqualTo(dev.corral.services.Harness.object("{\"kept\": true}"));
    assertThat(api.store.get(ServicePaths.app("/prod/web"))).isPresent();
    assertThat(api.store.children(ServicePaths.INSTANCES)).as("written once placed").isEmpty();

    JsonNode app = api.get("/v2/apps/prod/web").json().get("app");
    assertThat(app.get("instances").asInt()).isEqualTo(2);
    assertThat(app.get("backoffFactor").asDouble()).isEqualTo(1.15);
    assertThat(app.get("maxLaunchDelaySeconds").asInt()).isEqualTo(3600);
    assertThat(app.get("killSelection").asText()).isEqualTo("YOUNGEST_FIRST");
    assertThat(app.get("portDefinitions")).hasSize(1);
    assertThat(app.get("portDefinitions").get(0).get("port").asInt()).isEqualTo(10000);
    assertThat(app.get("waiting").get("reason").asText()).isNotEmpty();
    assertThat(app.get("deployments").get(0).get("id").asText()).isEqualTo(deploymentId);

    JsonNode list = api.get("/v2/apps?embed=apps.tasks&id=web").json().get("apps");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("tasks")).isEmpty();
    assertThat(list.get(0).get("tasksStaged").asInt()).isZero();
    assertThat(api.get("/v2/apps?id=nothing").json().get("apps")).isEmpty();

    ApiFixture.Response locked = api.put("/v2/apps/prod/web", "{\"instances\": 3}");
    assertThat(locked.status()).as("the first deployment is still running").isEqualTo(409);
    assertThat(locked.json().get("deployments").get(0).get("id").asText()).isEqualTo(deploymentId);
    ApiFixture.Response updated = api.put("/v2/apps/prod/web?force=true", "{\"instances\": 3}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().fieldNames()).toIterable().containsExactlyInAnyOrder("version", "deploymentId");
    app = api.get("/v2/apps/prod/web").json().get("app");
    assertThat(app.get("instances").asInt()).isEqualTo(3);
    assertThat(app.get("cmd").asText()).as("a partial update keeps the rest").isEqualTo("sleep 1000");
    assertThat(app.get("version").asText()).isEqualTo(updated.json().get("version").asText());
    assertThat(api.get("/v2/queue").json().get("queue").get(0).get("count").asInt()).as("waiting").isEqualTo(3);

    ApiFixture.Response versions = api.get("/v2/apps/prod/web/versions");
    assertThat(versions.json().get("versions")).hasSize(2);
    String first = versions.json().get("versions").get(1).asText();
    assertThat(api.get("/v2/apps/prod/web/versions/" + first).json().get("instances").asInt()).isEqualTo(2);

    ApiFixture.Response deleted = api.delete("/v2/apps/prod/web?force=true");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().has("deploymentId")).isTrue();
    ApiFixture.Response gone = api.get("/v2/apps/prod/web");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json()).isEqualTo(dev.corral.services.Harness.object("{\"message\": \"App '/prod/web' does not exist\"}"));
    assertThat(api.store.children(ServicePaths.INSTANCES)).isEmpty();
  }

  @Test
  void sendingAGetResponseBackWithPutChangesNoConfig() {
    api.post("/v2/apps", "{\"id\": \"/rt\", \"cmd\": \"sleep 1\", \"cpus\": 1, \"ports\": [0, 0]}");
    JsonNode before = api.get("/v2/apps/rt").json().get("app");
    assertThat(before.get("ports")).hasSize(2);
    ApiFixture.Response put = api.put("/v2/apps/rt?force=true", before.toString());
    assertThat(put.status()).as(put.raw()).isEqualTo(200);
    JsonNode after = api.get("/v2/apps/rt").json().get("app");
    assertThat(after.get("versionInfo").get("lastConfigChangeAt")).isEqualTo(before.get("versionInfo").get("lastConfigChangeAt"));
    assertThat(after.get("portDefinitions")).isEqualTo(before.get("portDefinitions"));
    assertThat(api.put("/v2/apps/rt?force=true", "{\"cpus\": 1.0, \"mem\": 128}").status()).isEqualTo(200);
    assertThat(api.get("/v2/apps/rt").json().get("app").get("versionInfo").get("lastConfigChangeAt"))
        .isEqualTo(before.get("versionInfo").get("lastConfigChangeAt"));
    assertThat(api.put("/v2/apps/rt?force=true", "{\"cmd\": \"sleep 2\"}").status()).isEqualTo(200);
    assertThat(api.get("/v2/apps/rt").json().get("app").get("versionInfo").get("lastConfigChangeAt"))
        .isNotEqualTo(before.get("versionInfo").get("lastConfigChangeAt"));
  }

  @Test
  void putOfAnUnknownAppCreatesIt() {
    ApiFixture.Response r = api.put("/v2/apps/new", "{\"cmd\": \"sleep 1\", \"mem\": 16}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().has("deploymentId")).isTrue();
    assertThat(api.get("/v2/apps/new").json().get("app").get("mem").asInt()).isEqualTo(16);
  }

  @Test
  void duplicatesUnknownsAndInvalidRequestsGetMarathonsErrors() {
    assertThat(api.post("/v2/apps", "{\"id\": \"/x\", \"cmd\": \"sleep 1\"}").status()).isEqualTo(201);
    int commits = api.store.commitCount();
    Map<String, byte[]> before = api.store.snapshot();

    ApiFixture.Response dup = api.post("/v2/apps", "{\"id\": \"x\", \"cmd\": \"sleep 2\"}");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().get("message").asText()).isEqualTo("An app with id [/x] already exists.");

    ApiFixture.Response negative = api.post("/v2/apps", "{\"id\": \"/y\", \"cmd\": \"x\", \"cpus\": -1}");
    assertThat(negative.status()).isEqualTo(422);
    assertThat(negative.json()).isEqualTo(dev.corral.services.Harness.object("""
        {"message": "Object is not valid", "details": [{"path": "/cpus", "errors": ["must be >= 0"]}]}"""));

    ApiFixture.Response types = api.post("/v2/apps", "{\"id\": \"/y\", \"cmd\": 5, \"instances\": \"two\"}");
    assertThat(types.status()).isEqualTo(422);
    List<String> paths = new ArrayList<>();
    types.json().get("details").forEach(d -> paths.add(d.get("path").asText()));
    assertThat(paths).containsExactlyInAnyOrder("/cmd", "/instances");

    assertThat(api.put("/v2/apps/x", "{\"mem\": -5}").status()).isEqualTo(422);
    assertThat(api.post("/v2/apps", "{\"id\": \"/Bad_Id\", \"cmd\": \"x\"}").status()).isEqualTo(422);
    assertThat(api.post("/v2/apps", "{\"id\": \"/z\", \"cmd\": \"x\", \"constraints\": [[\"hostname\", \"NEAR\"]]}")
        .status()).isEqualTo(422);

    ApiFixture.Response malformed = api.post("/v2/apps", "{\"id\": \"/y\",\n \"cmd\": }");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("message").asText()).contains("line 2, column");
    assertThat(api.post("/v2/apps", "[1, 2]").status()).isEqualTo(422);

    assertThat(api.get("/v2/apps/nope").status()).isEqualTo(404);
    assertThat(api.delete("/v2/apps/nope").status()).isEqualTo(404);
    assertThat(api.put("/v2/apps/x", "{\"id\": \"/other\"}").status()).isEqualTo(422);
    ApiFixture.Response noTask = api.delete("/v2/apps/x/tasks/x.unknown");
    assertThat(noTask.status()).isEqualTo(404);
    assertThat(noTask.json().get("message").asText()).isEqualTo("Task 'x.unknown' does not exist");

    assertThat(api.store.commitCount()).as("rejected requests write nothing").isEqualTo(commits);
    assertThat(api.store.snapshot().keySet()).isEqualTo(before.keySet());
    before.forEach((path, data) -> assertThat(api.store.get(path)).as(path).hasValueSatisfying(d -> assertThat(d).isEqualTo(data)));
  }

  @Test
  void tasksOfAnAppAreTellApartFromAnAppNamedTasks() {
    api.post("/v2/apps", "{\"id\": \"/solo/tasks\", \"cmd\": \"x\", \"mem\": 16, \"cpus\": 0.1}");
    assertThat(api.get("/v2/apps/solo/tasks").json().get("app").get("id").asText()).isEqualTo("/solo/tasks");

    api.post("/v2/apps", "{\"id\": \"/pair\", \"cmd\": \"x\", \"mem\": 16, \"cpus\": 0.1}");
    api.post("/v2/apps", "{\"id\": \"/pair/tasks\", \"cmd\": \"x\", \"mem\": 16, \"cpus\": 0.1}");
    assertThat(api.get("/v2/apps/pair/tasks").json().has("tasks")).isTrue();
    assertThat(api.get("/v2/apps/tasks").status()).isEqualTo(404);
    assertThat(api.get("/v2/apps/pair/*").json().get("*")).hasSize(1);
  }

  @Test
  void tasksQueueAndTaskDeletionOverHttp() {
    api.post("/v2/apps", "{\"id\": \"/web\", \"cmd\": \"x\", \"mem\": 16, \"cpus\": 0.1, \"instances\": 2}");
    api.post("/v2/apps", """
        {"id": "/docker", "mem": 16, "cpus": 0.1, "container": {"type": "DOCKER", "docker": {"image": "nginx",
         "parameters": [{"key": "device", "value": "/dev/fuse"}]}}}""");
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/info").json().path("frameworkId").asText().equals("fw-1"));
    api.driver.scheduler().offers(List.of(Offers.big("o1", "host-a")));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 2);
    List<String> taskIds = api.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();
    api.driver.scheduler().update(TaskStatus.newBuilder().setTaskId(taskIds.get(0)).setState(TaskState.TASK_RUNNING)
        .setAgentId("agent-host-a").setUuid("u1").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/tasks?status=running").json().get("tasks").size() == 1);

    JsonNode task = api.get("/v2/tasks?status=running").json().get("tasks").get(0);
    assertThat(task.get("id").asText()).isEqualTo(taskIds.get(0));
    assertThat(task.get("appId").asText()).isEqualTo("/web");
    assertThat(task.get("host").asText()).isEqualTo("host-a");
    assertThat(task.get("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(task.get("slaveId").asText()).isEqualTo("agent-host-a");
    assertThat(task.get("servicePorts").get(0).asInt()).isEqualTo(10000);
    assertThat(api.get("/v2/tasks").json().get("tasks")).hasSize(2);
    assertThat(api.get("/v2/apps/web/tasks").json().get("tasks")).hasSize(2);
    assertThat(api.get("/v2/apps/web").json().get("app").get("tasksRunning").asInt()).isEqualTo(1);
    // Marathon's text format for discovery: only running tasks, host:port per port index
    ApiFixture.Response text = api.get("/v2/apps/web/tasks", "text/plain");
    assertThat(text.http().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(text.raw()).isEqualTo("web_10000\t10000\thost-a:" + task.get("ports").get(0).asInt() + "\n");
    assertThat(api.get("/v2/tasks", "text/plain").raw()).isEqualTo("docker_10001\t10001\n" + text.raw());

    JsonNode queue = api.get("/v2/queue").json().get("queue");
    assertThat(queue).hasSize(1);
    assertThat(queue.get(0).get("app").get("id").asText()).isEqualTo("/docker");
    assertThat(queue.get(0).get("waitingReason").asText()).startsWith("container.docker.parameters device")
        .contains("is not supported yet");
    assertThat(api.get("/v2/apps/docker").json().get("app").get("waiting").get("reason").asText())
        .startsWith("container.docker.parameters device");

    ApiFixture.Response killed = api.delete("/v2/apps/web/tasks/" + taskIds.get(0) + "?scale=true&force=true");
    assertThat(killed.status()).isEqualTo(200);
    assertThat(killed.json().has("deploymentId")).isTrue();
    assertThat(api.driver.kills()).extracting(k -> k.taskId()).containsExactly(taskIds.get(0));
    assertThat(api.get("/v2/apps/web").json().get("app").get("instances").asInt()).isEqualTo(1);

    ApiFixture.Response replaced = api.delete("/v2/apps/web/tasks/" + taskIds.get(1));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().get("task").get("id").asText()).isEqualTo(taskIds.get(1));
    assertThat(api.get("/v2/deployments").json()).isNotEmpty();
  }
}

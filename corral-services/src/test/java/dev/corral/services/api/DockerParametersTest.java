package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.Rlimit;
import dev.corral.api.v1.TaskInfo;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Marathon's docker.parameters and docker.privileged over HTTP: the applied ones reach the task, others make
 * the app wait, bad values 422.
 */
class DockerParametersTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theOptionsTheContainerizerAppliesReachTheTask() {
    ApiFixture.Response created = api.post("/v2/apps", """
        {"id": "/tools", "cpus": 0.1, "mem": 32, "cmd": "run", "env": {"B": "from-app"}, "labels": {"team": "a"},
         "container": {"type": "DOCKER", "docker": {"image": "registry.local:5000/tools:1", "privileged": true,
           "parameters": [
           {"key": "cap-add", "value": "NET_ADMIN"}, {"key": "cap-drop", "value": "cap_mknod"},
           {"key": "ulimit", "value": "nofile=1024:2048"}, {"key": "ulimit", "value": "core=-1"},
           {"key": "hostname", "value": "tools-box"}, {"key": "workdir", "value": "/work"},
           {"key": "shm-size", "value": "256m"}, {"key": "user", "value": "nobody"},
           {"key": "env", "value": "A=from-param"}, {"key": "env", "value": "B=from-param"},
           {"key": "label", "value": "team=b"}, {"key": "label", "value": "tier=backend"}]}}}""");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(api.get("/v2/apps/tools").json().at("/app/waiting/reason").asText()).isEqualTo("waiting for resource offers");

    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 1);
    TaskInfo task = api.driver.launchedTasks().get(0);
    var c = task.getContainer();
    assertThat(c.getCapAddList()).containsExactly("CAP_NET_ADMIN");
    assertThat(c.getCapDropList()).containsExactly("CAP_MKNOD");
    assertThat(c.getRlimitsList()).containsExactly(
        Rlimit.newBuilder().setType("RLIMIT_NOFILE").setSoft(1024).setHard(2048).build(),
        Rlimit.newBuilder().setType("RLIMIT_CORE").setSoft(-1).setHard(-1).build());
    assertThat(c.getHostname()).isEqualTo("tools-box");
    assertThat(c.getWorkingDir()).isEqualTo("/work");
    assertThat(c.getShmSizeBytes()).isEqualTo(256L << 20);
    assertThat(c.getPrivileged()).as("only agents started with --allow-privileged run it").isTrue();
    assertThat(task.getCommand().getUser()).isEqualTo("nobody");
    assertThat(task.getCommand().getEnvironmentMap()).containsEntry("A", "from-param").containsEntry("B", "from-app");
    assertThat(task.getLabelsMap()).containsEntry("team", "a").containsEntry("tier", "backend");
  }

  @Test
  void anOptionThatIsNotAppliedMakesTheAppWaitAndBadValuesAreRefused() {
    assertThat(api.post("/v2/apps", """
        {"id": "/other", "cpus": 0.1, "mem": 32, "cmd": "run", "container": {"type": "DOCKER",
         "docker": {"image": "x:1", "parameters": [{"key": "volume", "value": "/a:/b"}, {"key": "cap-add", "value": "SYS_PTRACE"}]}}}""")
        .status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/apps/other").json().at("/app/waiting/reason")
        .asText().contains("container.docker.parameters volume"));

    ApiFixture.Response bad = api.post("/v2/apps", """
        {"id": "/bad", "cmd": "run", "container": {"type": "DOCKER", "docker": {"image": "x:1", "parameters": [
          {"key": "cap-add", "value": "NET_ADMN"}, {"key": "ulimit", "value": "files=10"}, {"key": "shm-size", "value": "lots"},
          {"key": "env", "value": "NOEQUALS"}, {"key": "workdir", "value": "rel"}, {"value": "x"}]}}}""");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.raw()).contains("/container/docker/parameters/0/value", "unknown capability NET_ADMN",
        "/container/docker/parameters/1/value", "nofile=1024:2048", "/container/docker/parameters/2/value",
        "/container/docker/parameters/3/value", "/container/docker/parameters/4/value",
        "/container/docker/parameters/5/key");
  }
}

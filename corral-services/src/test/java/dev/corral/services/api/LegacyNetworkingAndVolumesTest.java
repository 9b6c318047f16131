package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.NetworkInfo;
import dev.corral.api.v1.PortMapping;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import dev.corral.services.app.AppDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP: Marathon's networking fields from before 1.5 are migrated as Marathon 1.5 migrates them (and
 * shown in the new form), a definition that mixes old and new is refused at the old field, and host volumes
 * reach the agent as volume mounts while persistent ones make the app wait.
 */
class LegacyNetworkingAndVolumesTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aDockerBridgeAppIsShownInTheNewFormAndLaunchesOnAContainerNetwork() {
    ApiFixture.Response created = api.post("/v2/apps", """
        {"id": "/web", "cpus": 0.1, "mem": 32, "cmd": "busybox httpd -f -p 8080",
         "container": {"type": "DOCKER", "docker": {"image": "registry.local:5000/web:1", "network": "BRIDGE",
           "portMappings": [{"containerPort": 8080, "hostPort": 0, "servicePort": 9000, "name": "http"},
                            {"containerPort": 161, "protocol": "udp"}]}}}""");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);

    JsonNode app = api.get("/v2/apps/web").json().get("app");
    assertThat(app.get("networks").toString()).isEqualTo("[{\"mode\":\"container/bridge\"}]");
    JsonNode container = app.get("container");
    assertThat(container.get("docker").has("network")).isFalse();
    assertThat(container.get("docker").has("portMappings")).isFalse();
    assertThat(container.get("docker").get("image").asText()).isEqualTo("registry.local:5000/web:1");
    assertThat(container.get("portMappings")).hasSize(2);
    assertThat(container.at("/portMappings/0/servicePort").asInt()).isEqualTo(9000);
    assertThat(app.at("/waiting/reason").asText()).isEqualTo("waiting for resource offers");

    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 1);
    TaskInfo task = api.driver.launchedTasks().get(0);
    NetworkInfo net = task.getNetwork();
    assertThat(net.getMode()).isEqualTo(NetworkInfo.Mode.MODE_CONTAINER);
    // BRIDGE maps every port to the host; a mapping without hostPort takes one from the offer
    assertThat(net.getPortMappingsList()).extracting(PortMapping::getContainerPort).containsExactly(8080, 161);
    assertThat(net.getPortMappingsList()).allSatisfy(m -> assertThat(m.getHostPort()).isBetween(31000, 31005));
    assertThat(task.getContainer().getImage()).isEqualTo("registry.local:5000/web:1");
    assertThat(task.getCommand().getEnvironmentMap()).containsKey("PORT_HTTP");
  }

  @Test
  void anIpAddressBecomesANamedContainerNetworkWithItsDiscoveryPortsAsMappings() {
    ApiFixture.Response created = api.post("/v2/apps", """
        {"id": "/pinger", "cpus": 0.1, "mem": 32, "cmd": "sleep 100",
         "ipAddress": {"networkName": "dcos", "labels": {"team": "a"},
           "discovery": {"ports": [{"name": "my-port", "number": 7777, "protocol": "tcp"}]}}}""");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    JsonNode app = api.get("/v2/apps/pinger").json().get("app");
    assertThat(app.has("ipAddress")).isFalse();
    assertThat(app.get("networks").toString())
        .isEqualTo("[{\"mode\":\"container\",\"name\":\"dcos\",\"labels\":{\"team\":\"a\"}}]");
    assertThat(app.at("/container/type").asText()).isEqualTo("MESOS");
    assertThat(app.at("/container/portMappings").toString())
        .isEqualTo("[{\"containerPort\":7777,\"name\":\"my-port\",\"protocol\":\"tcp\"}]");
    // the old API could not publish ports: no host port, so none is taken from the offer
    assertThat(app.path("portDefinitions").size()).isZero();

    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 1);
    NetworkInfo net = api.driver.launchedTasks().get(0).getNetwork();
    assertThat(net.getName()).isEqualTo("dcos");
    assertThat(net.getPortMappingsList()).singleElement()
        .satisfies(m -> assertThat(m.getHostPort()).isZero())
        .satisfies(m -> assertThat(m.getContainerPort()).isEqualTo(7777));
  }

  @Test
  void dockerUserAndHostNetworksMapToTheirNewModes() {
    assertThat(api.post("/v2/apps", """
        {"id": "/user", "cmd": "sleep 1", "ipAddress": {"networkName": "overlay-1"},
         "container": {"type": "DOCKER", "docker": {"image": "x:1", "network": "USER",
           "portMappings": [{"containerPort": 80}]}}}""").status()).isEqualTo(201);
    JsonNode user = api.get("/v2/apps/user").json().get("app");
    assertThat(user.get("networks").toString()).isEqualTo("[{\"mode\":\"container\",\"name\":\"overlay-1\"}]");
    assertThat(user.at("/container/portMappings/0/containerPort").asInt()).isEqualTo(80);

    assertThat(api.post("/v2/apps", """
        {"id": "/host", "cmd": "sleep 1", "container": {"type": "DOCKER", "docker": {"image": "x:1", "network": "HOST"}}}
        """).status()).isEqualTo(201);
    JsonNode host = api.get("/v2/apps/host").json().get("app");
    assertThat(host.get("networks").toString()).isEqualTo("[{\"mode\":\"host\"}]");
    assertThat(host.get("portDefinitions")).as("host mode keeps Marathon's default port").hasSize(1);
  }

  @Test
  void oldAndNewNetworkingTogetherAreRefusedAtTheOldField() {
    assertRefused("""
        {"id": "/a", "cmd": "sleep 1", "networks": [{"mode": "container/bridge"}],
         "container": {"type": "DOCKER", "docker": {"image": "x:1", "network": "BRIDGE"}}}""",
        "/container/docker/network", "not both");
    assertRefused("""
        {"id": "/a", "cmd": "sleep 1", "container": {"type": "DOCKER", "portMappings": [{"containerPort": 80}],
         "docker": {"image": "x:1", "network": "BRIDGE", "portMappings": [{"containerPort": 81}]}}}""",
        "/container/docker/portMappings", "not both");
    assertRefused("""
        {"id": "/a", "cmd": "sleep 1", "container": {"type": "DOCKER", "docker": {"image": "x:1", "network": "NONE"}}}""",
        "/container/docker/network", "must be HOST, BRIDGE or USER");
    assertRefused("""
        {"id": "/a", "cmd": "sleep 1", "ipAddress": {"discovery": {"ports": [{"name": "p", "number": 80}]}},
         "container": {"type": "DOCKER", "docker": {"image": "x:1", "network": "USER"}}}""",
        "/ipAddress/discovery/ports", "MESOS containers only");
    assertRefused("""
        {"id": "/a", "cmd": "sleep 1",
         "container": {"type": "DOCKER", "docker": {"image": "x:1", "portMappings": [{"containerPort": 80}]}}}""",
        "/container/docker/portMappings", "needs network BRIDGE or USER");
    assertThat(api.get("/v2/apps").json().get("apps")).as("nothing was stored").isEmpty();
  }

  @Test
  void aDefinitionStoredWithTheOldFieldsWaitsAndSaysHowToMigrateIt() {
    AppDefinition stored = AppDefinition.of(dev.corral.services.Harness.object("""
        {"id": "/old", "cmd": "sleep 1", "version": "2026-01-01T00:00:00.000Z",
         "container": {"type": "DOCKER", "docker": {"image": "x:1", "network": "BRIDGE"}}}"""));
    assertThat(stored.unsupportedReasons()).singleElement().asString()
        .contains("container.docker.network").contains("PUT the app again");
  }

  @Test
  void hostVolumesReachTheAgentAsVolumeMounts() {
    ApiFixture.Response created = api.post("/v2/apps", """
        {"id": "/vol", "cpus": 0.1, "mem": 32, "cmd": "cat /opt/pinger.py data/x",
         "container": {"type": "MESOS", "volumes": [
           {"containerPath": "/opt/pinger.py", "hostPath": "pinger.py", "mode": "RO"},
           {"containerPath": "data", "hostPath": "/var/lib/data"}]}}""");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(api.get("/v2/apps/vol").json().at("/app/waiting/reason").asText()).isEqualTo("waiting for resource offers");

    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 1);
    assertThat(api.driver.launchedTasks().get(0).getVolumeMountsList()).containsExactly(
        VolumeMount.newBuilder().setName("/opt/pinger.py").setMountPath("/opt/pinger.py").setHostPath("pinger.py")
            .setReadOnly(true).build(),
        VolumeMount.newBuilder().setName("data").setMountPath("data").setHostPath("/var/lib/data").build());
  }

  @Test
  void anExternalVolumeMakesTheAppWaitWithTheVolumeNamed() {
    assertThat(api.post("/v2/apps", """
        {"id": "/ev", "cpus": 0.1, "mem": 32, "cmd": "sleep 100",
         "container": {"type": "MESOS", "volumes": [
           {"containerPath": "logs", "hostPath": "/var/log"},
           {"containerPath": "data", "mode": "RW", "external": {"name": "v", "provider": "dvdi"}}]}}""").status())
        .isEqualTo(201);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/v2/apps/ev").json().get("app").has("waiting"));
    assertThat(api.get("/v2/apps/ev").json().at("/app/waiting/reason").asText())
        .contains("/container/volumes/1: external volumes").contains("not supported yet");
  }

  @Test
  void persistentVolumesAreCheckedAndMakeTheAppResident() {
    ApiFixture.Response bad = api.post("/v2/apps", """
        {"id": "/pv", "cmd": "sleep 1", "unreachableStrategy": {"inactiveAfterSeconds": 60},
         "upgradeStrategy": {"maximumOverCapacity": 0.5},
         "container": {"type": "MESOS", "volumes": [
           {"containerPath": "var/data", "mode": "RO", "persistent": {"size": 0.5, "type": "tape"}}]}}""");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.raw()).contains("/container/volumes/0/containerPath", "/container/volumes/0/mode",
        "/container/volumes/0/persistent/size", "/container/volumes/0/persistent/type", "/unreachableStrategy",
        "/upgradeStrategy/maximumOverCapacity");

    assertThat(api.post("/v2/apps", """
        {"id": "/pv", "cmd": "sleep 1", "container": {"type": "MESOS", "volumes": [
           {"containerPath": "data", "mode": "RW", "persistent": {"size": 10}}]}}""").status()).isEqualTo(201);
    JsonNode app = api.get("/v2/apps/pv").json().get("app");
    assertThat(app.get("unreachableStrategy").asText()).isEqualTo("disabled");
    assertThat(app.at("/upgradeStrategy/minimumHealthCapacity").asDouble()).isEqualTo(0.5);
    assertThat(app.at("/upgradeStrategy/maximumOverCapacity").asDouble()).isEqualTo(0);
    assertThat(app.at("/waiting/reason").asText()).doesNotContain("not supported");
  }

  @Test
  void volumesAreChecked() {
    ApiFixture.Response r = api.post("/v2/apps", """
        {"id": "/bad", "cmd": "sleep 1", "container": {"type": "MESOS", "volumes": [
           {"hostPath": "/a"},
           {"containerPath": "../up", "hostPath": "/b", "mode": "RX"},
           {"containerPath": "c"},
           {"containerPath": "d", "hostPath": "/d", "persistent": {"size": 1}}]}}""");
    assertThat(r.status()).isEqualTo(422);
    List<String> paths = paths(r.json());
    assertThat(paths).contains("/container/volumes/0/containerPath", "/container/volumes/1/containerPath",
        "/container/volumes/1/mode", "/container/volumes/2", "/container/volumes/3");
  }

  private void assertRefused(String body, String path, String message) {
    ApiFixture.Response r = api.post("/v2/apps", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.json().get("details")).anySatisfy(d -> {
      assertThat(d.get("path").asText()).isEqualTo(path);
      assertThat(d.get("errors").toString()).contains(message);
    });
  }

  private static List<String> paths(JsonNode error) {
    List<String> out = new java.util.ArrayList<>();
    error.get("details").forEach(d -> out.add(d.get("path").asText()));
    return out;
  }
}

package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.NetworkInfo;
import dev.corral.api.v1.PortMapping;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.services.api.TaskJson;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.app.AppValidator;
import dev.corral.services.app.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Marathon's container and container/bridge networks: validation, host ports from the offer, TaskInfo.network. */
class ContainerNetworkingTest {

  @Test
  void bridgeAppGetsItsMappedHostPortsFromTheOfferAndCarriesTheMappingsToTheAgent() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/web", "cmd": "busybox httpd -f -p 8080", "cpus": 0.1, "mem": 32,
         "networks": [{"mode": "container/bridge"}],
         "container": {"type": "MESOS", "portMappings": [
           {"containerPort": 8080, "hostPort": 0, "name": "http"},
           {"containerPort": 9090, "protocol": "udp"}]}}""");

    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());

    TaskInfo task = h.driver.launches().get(0).tasks().get(0);
    Map<String, String> env = task.getCommand().getEnvironmentMap();
    int port0 = Integer.parseInt(env.get("PORT0"));
    int port1 = Integer.parseInt(env.get("PORT1"));
    assertThat(port0).isBetween(31000, 31005);
    assertThat(port1).isBetween(31000, 31005).isNotEqualTo(port0);
    assertThat(env).containsEntry("PORT_HTTP", String.valueOf(port0)).containsEntry("PORTS", port0 + "," + port1);
    NetworkInfo net = task.getNetwork();
    assertThat(net.getMode()).isEqualTo(NetworkInfo.Mode.MODE_CONTAINER);
    assertThat(net.getPortMappingsList()).containsExactly(
        PortMapping.newBuilder().setHostPort(port0).setContainerPort(8080).setProtocol("tcp").setName("http").build(),
        PortMapping.newBuilder().setHostPort(port1).setContainerPort(9090).setProtocol("udp").build());
  }

  @Test
  void theContainerAddressTheAgentReportsIsKeptStoredAndShownAsMarathonsIpAddresses() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/web", "cmd": "sleep 100", "cpus": 0.1, "mem": 32, "networks": [{"mode": "container/bridge"}],
         "container": {"type": "MESOS", "portMappings": [{"containerPort": 8080, "hostPort": 0}]}}""");
    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());
    TaskInfo task = h.driver.launches().get(0).tasks().get(0);
    h.send(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_RUNNING)
        .setAgentId(task.getAgentId()).setUuid("u1").addIpAddresses("172.31.0.5").build());
    // a later RUNNING (a health result) carries no addresses: the known ones stay
    h.send(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_RUNNING)
        .setAgentId(task.getAgentId()).setUuid("u2").setHealthy(true).setHasHealth(true).build());

    Instance instance = h.instances("/web").get(0);
    assertThat(instance.task().ipAddresses()).containsExactly("172.31.0.5");
    assertThat(InstanceCodec.fromBytes(InstanceCodec.toBytes(instance)).task().ipAddresses())
        .containsExactly("172.31.0.5");
    JsonNode json = TaskJson.render(instance, null);
    assertThat(json.path("ipAddresses").toString())
        .isEqualTo("[{\"ipAddress\":\"172.31.0.5\",\"protocol\":\"IPv4\"}]");
  }

  @Test
  void containerModeMapsOnlyTheHostPortsItNamesAndHostModeCarriesNoNetwork() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/c", "cmd": "sleep 100", "cpus": 0.1, "mem": 32, "networks": [{"mode": "container", "name": "dcos"}],
         "container": {"portMappings": [{"containerPort": 80}, {"containerPort": 81, "hostPort": 31004}]}}""");
    h.create("{\"id\": \"/h\", \"cmd\": \"sleep 100\", \"cpus\": 0.1, \"mem\": 32}");

    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());

    TaskInfo c = task(h, "/c");
    assertThat(c.getCommand().getEnvironmentMap()).containsEntry("PORTS", "31004").doesNotContainKey("PORT1");
    assertThat(c.getNetwork().getName()).isEqualTo("dcos");
    assertThat(c.getNetwork().getPortMappingsList()).extracting(PortMapping::getHostPort).containsExactly(0, 31004);
    assertThat(task(h, "/h").hasNetwork()).as("host networking is today's default").isFalse();
  }

  @Test
  void invalidNetworksAndMappingsAreRejectedWithTheirFieldPaths() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "networks": [{"mode": "overlay"}]}""")).extracting(Violation::path)
        .containsExactly("/networks/0/mode");
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "container": {"portMappings": [{"containerPort": 80}]}}"""))
        .extracting(Violation::path).containsExactly("/container/portMappings");
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "networks": [{"mode": "container/bridge"}], "container": {"portMappings": [
          {"hostPort": 0}, {"containerPort": 80, "hostPort": 70000, "protocol": "sctp", "name": "A"}]}}"""))
        .extracting(Violation::path).containsExactly("/container/portMappings/0/containerPort",
            "/container/portMappings/1/hostPort", "/container/portMappings/1/protocol",
            "/container/portMappings/1/name");
  }

  @Test
  void moreThanOneNetworkWaitsAsUnsupported() {
    ObjectNode valid = AppNormalizer.clean(Harness.object("""
        {"id": "/a", "cmd": "x", "networks": [{"mode": "container/bridge"}, {"mode": "container", "name": "b"}]}"""));
    assertThat(AppValidator.validate(valid)).isEmpty();
    List<String> reasons = AppDefinition.of(AppNormalizer.normalize(valid, "/a")).unsupportedReasons();
    assertThat(reasons).singleElement().asString().startsWith("/networks/1: more than one network per task");
  }

  private static List<Violation> validate(String json) {
    return AppValidator.validate(AppNormalizer.clean(Harness.object(json)));
  }

  private static TaskInfo task(Harness h, String appId) {
    return h.driver.launches().stream().flatMap(l -> l.tasks().stream()).filter(t -> t.getName().equals(appId))
        .findFirst().orElseThrow();
  }
}

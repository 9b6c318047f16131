package dev.corral.services.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.services.Harness;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppNormalizerTest {

  private static AppDefinition normalized(String json, Set<Integer> taken) {
    ObjectNode n = AppNormalizer.normalize(AppNormalizer.clean(Harness.object(json)), "/a");
    return AppDefinition.of(AppNormalizer.assignServicePorts(n, taken, List.of()));
  }

  @Test
  void withoutPortsAnAppGetsOneDynamicTcpPortWithAServicePort() {
    AppDefinition app = normalized("{\"id\": \"a\", \"cmd\": \"x\"}", Set.of());
    assertThat(app.id()).isEqualTo("/a");
    assertThat(app.portDefinitions()).containsExactly(new PortDefinition(10000, "tcp", null, java.util.Map.of()));
  }

  @Test
  void legacyPortsBecomePortDefinitionsAndServicePortsAvoidTakenOnes() {
    AppDefinition app = normalized("{\"id\": \"a\", \"cmd\": \"x\", \"ports\": [0, 9000, 0]}", Set.of(10000, 10002));
    assertThat(app.portDefinitions()).extracting(PortDefinition::port).containsExactly(10001, 9000, 10003);
    assertThat(app.has("ports")).isFalse();
  }

  @Test
  void anEmptyListMeansNoPortsAndBridgeNetworkingGetsNoDefault() {
    assertThat(normalized("{\"id\": \"a\", \"cmd\": \"x\", \"portDefinitions\": []}", Set.of()).portDefinitions()).isEmpty();
    assertThat(normalized("""
        {"id": "a", "container": {"docker": {"image": "x", "network": "BRIDGE"}}}""", Set.of()).portDefinitions()).isEmpty();
  }

  @Test
  void aPartialUpdateReplacesOnlyTheGivenFields() {
    ObjectNode current = Harness.object("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 2, \"version\": \"v\"}");
    ObjectNode merged = AppNormalizer.merge(current, Harness.object("{\"args\": [\"y\"], \"instances\": 3}"));
    assertThat(merged.has("cmd")).isFalse();
    assertThat(merged.get("cpus").asInt()).isEqualTo(2);
    assertThat(merged.get("instances").asInt()).isEqualTo(3);
    assertThat(merged.has("version")).isFalse();
  }

  @Test
  void sameConfigIgnoresInstancesAndVersions() {
    AppDefinition a = AppDefinition.of(Harness.object("{\"id\": \"/a\", \"cmd\": \"x\", \"instances\": 1, \"version\": \"1\"}"));
    AppDefinition b = AppDefinition.of(Harness.object("{\"id\": \"/a\", \"cmd\": \"x\", \"instances\": 5, \"version\": \"2\"}"));
    AppDefinition c = AppDefinition.of(Harness.object("{\"id\": \"/a\", \"cmd\": \"y\", \"instances\": 1, \"version\": \"1\"}"));
    assertThat(a.sameConfig(b)).isTrue();
    assertThat(a.sameConfig(c)).isFalse();
  }
}

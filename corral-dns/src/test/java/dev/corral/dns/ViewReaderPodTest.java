package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.pod.PodApps;
import org.junit.jupiter.api.Test;

/** A pod's named endpoints with host ports are its DNS ports, in the order of its instances' host ports. */
class ViewReaderPodTest {
  @Test
  void aPodsEndpointsAreItsPorts() throws Exception {
    ObjectNode pod = (ObjectNode) Json.mapper().readTree("""
        {"id": "/duo", "containers": [
          {"name": "a", "endpoints": [{"name": "web", "hostPort": 0}, {"name": "admin"}]},
          {"name": "b", "endpoints": [{"name": "dns", "hostPort": 0, "protocol": ["udp"]}]}]}""");
    AppDefinition app = AppDefinition.of(PodApps.toApp(pod, "/duo"));
    assertThat(ViewReader.ports(app)).extracting(p -> p.index() + ":" + p.name() + ":" + p.protocol())
        .containsExactly("0:web:tcp", "1:admin:tcp", "2:dns:udp");
  }
}

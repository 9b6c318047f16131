package dev.corral.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VipJsonTest {
  @Test
  void routesSurviveTheJsonForm() throws Exception {
    List<VipRoute> routes = List.of(
        new VipRoute("web.marathon.l4lb.corral", InetAddress.getByName("127.77.1.2"), 80, "tcp",
            List.of(new InetSocketAddress("10.0.0.5", 20001), new InetSocketAddress("fd00::5", 20002))),
        new VipRoute("dns.marathon.l4lb.corral", InetAddress.getByName("127.77.1.3"), 53, "udp", List.of()));
    JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsString(VipJson.write(7, routes)));
    assertThat(VipJson.index(json)).isEqualTo(7);
    assertThat(json.path("vips").get(0).path("backends").get(1).asText()).isEqualTo("[fd00:0:0:0:0:0:0:5]:20002");
    assertThat(VipJson.read(json)).isEqualTo(routes);
  }

  @Test
  void aBadEntryNamesItsField() throws Exception {
    JsonNode json = Json.mapper().readTree("""
        {"index": 1, "vips": [{"name": "x", "ip": "127.77.0.1", "port": 80, "backends": ["host.example:80"]}]}""");
    assertThatThrownBy(() -> VipJson.read(json)).hasMessageContaining("vips[0].backends[0]");
  }
}

package dev.corral.agent.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.cgroups.CgroupLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {
  @TempDir
  Path work;

  @Test
  void namesTheServerAndIsBoundReadOnlyOverTheContainersResolvConf() throws Exception {
    Path file = ResolvConf.write(work, "10.0.0.5:53");
    assertThat(Files.readString(file)).contains("nameserver 10.0.0.5\n");

    Path sandbox = work.resolve("sandbox");
    JsonNode config = OciConfig.render(new ContainerSpec(List.of("true"), Map.of(), sandbox, 0, 0, "node-1",
        sandbox, "/corral/t1", new CgroupLimits(0.5, 64, 4096), true, false, file));
    JsonNode mount = null;
    for (JsonNode m : config.get("mounts")) {
      if (m.get("destination").asText().equals("/etc/resolv.conf")) {
        mount = m;
      }
    }
    assertThat(mount).isNotNull();
    assertThat(mount.get("source").asText()).isEqualTo(file.toString());
    assertThat(mount.get("options").toString()).contains("\"ro\"");
  }

  @Test
  void withoutAServerTasksKeepTheHostsResolvConf() throws Exception {
    assertThat(ResolvConf.write(work, null)).isNull();
    Path sandbox = work.resolve("sandbox");
    JsonNode config = OciConfig.render(new ContainerSpec(List.of("true"), Map.of(), sandbox, 0, 0, "node-1",
        sandbox, "/corral/t1", new CgroupLimits(0.5, 64, 4096), true));
    assertThat(config.get("mounts").toString()).doesNotContain("resolv.conf");
  }

  @Test
  void aPortOtherThan53CannotBeNamed() {
    assertThatThrownBy(() -> ResolvConf.write(work, "127.0.0.1:8053")).hasMessageContaining("port 53");
  }
}

package dev.corral.agent.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.cgroups.CgroupLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciConfigTest {
  private static final Path SANDBOX = Path.of("/var/lib/corral/sandboxes/t1");

  private static JsonNode render() {
    return OciConfig.render(new ContainerSpec(List.of("/bin/sh", "-c", "echo hi"), Map.of("B", "2", "A", "1"),
        SANDBOX, 1000, 1001, "node-1", SANDBOX, "/corral/t1", new CgroupLimits(0.5, 64, 4096), true));
  }

  @Test
  void processRunsAsTheUserInTheSandboxWithTheEnvironmentSorted() {
    JsonNode p = render().get("process");
    assertThat(p.get("args").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"echo hi\"]");
    assertThat(p.get("env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
    assertThat(p.get("cwd").asText()).isEqualTo(SANDBOX.toString());
    assertThat(p.get("user").get("uid").asLong()).isEqualTo(1000);
    assertThat(p.get("user").get("gid").asLong()).isEqualTo(1001);
    assertThat(p.get("terminal").asBoolean()).isFalse();
  }

  @Test
  void hostRootIsReadOnlyWithFreshProcDevTmpAndTheSandboxWritable() {
    JsonNode c = render();
    assertThat(c.get("root").get("path").asText()).isEqualTo("rootfs");
    List<String> destinations = new ArrayList<>();
    c.get("mounts").forEach(m -> destinations.add(m.get("destination").asText()));
    assertThat(destinations).containsExactly("/", "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
        "/tmp", SANDBOX.toString());
    assertThat(c.get("mounts").get(0).get("options").toString()).contains("\"rro\"");
    JsonNode sandbox = c.get("mounts").get(8);
    assertThat(sandbox.get("source").asText()).isEqualTo(SANDBOX.toString());
    assertThat(sandbox.get("options").toString()).contains("\"rw\"");
  }

  @Test
  void namespacesExceptNetworkAndLimitsFromTheResources() {
    JsonNode linux = render().get("linux");
    List<String> ns = new ArrayList<>();
    linux.get("namespaces").forEach(n -> ns.add(n.get("type").asText()));
    assertThat(ns).containsExactly("pid", "mount", "ipc", "uts");
    assertThat(linux.get("cgroupsPath").asText()).isEqualTo("/corral/t1");
    JsonNode r = linux.get("resources");
    assertThat(r.get("cpu").get("shares").asLong()).isEqualTo(512);
    assertThat(r.get("cpu").get("quota").asLong()).isEqualTo(50_000);
    assertThat(r.get("cpu").get("period").asLong()).isEqualTo(100_000);
    assertThat(r.get("memory").get("limit").asLong()).isEqualTo(64L * 1024 * 1024);
    assertThat(r.get("memory").get("swap").asLong()).isEqualTo(64L * 1024 * 1024);
    assertThat(r.get("pids").get("limit").asLong()).isEqualTo(4096);
    JsonNode first = r.get("devices").get(0);
    assertThat(first.get("allow").asBoolean()).as("devices: deny all first").isFalse();
    assertThat(r.get("devices").toString()).contains("{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
        + "\"access\":\"rwm\"}");
  }

  @Test
  void containerIdsAreTaskIdsUnlessTheRuntimeWouldRejectThem() {
    assertThat(ContainerIds.of("web.1a2b-3c")).isEqualTo("web.1a2b-3c");
    assertThat(ContainerIds.of("app:1@host")).startsWith("task-").hasSize(37)
        .isEqualTo(ContainerIds.of("app:1@host"));
  }

  @Test
  void containerizerListsAreCheckedWhenParsed() {
    assertThat(ContainerizerSetup.parse("oci, process")).containsExactly("oci", "process");
    assertThatThrownBy(() -> ContainerizerSetup.parse("docker")).hasMessageContaining("unknown containerizer");
    assertThatThrownBy(() -> ContainerizerSetup.parse("oci,oci")).hasMessageContaining("twice");
    assertThatThrownBy(() -> ContainerizerSetup.parse(" ")).hasMessageContaining("empty");
  }
}

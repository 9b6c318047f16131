package dev.corral.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void defaults() {
    AgentConfig c = AgentConfig.defaults(Path.of("work"));
    assertThat(c.workDir()).isAbsolute();
    assertThat(c.hostname()).isNotBlank();
    assertThat(c.killGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.statusRetryInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.cgroupsEnabled()).isTrue();
    assertThat(c.resources()).isNull();
  }

  @Test
  void badFlagsFailAtConstruction() {
    AgentConfig c = AgentConfig.defaults(Path.of("/tmp/x"));
    assertThatThrownBy(() -> c.withResources("cpus:four")).hasMessageContaining("'cpus:four'");
    assertThatThrownBy(() -> c.withAttributes("rack")).hasMessageContaining("'rack'");
    assertThatThrownBy(() -> c.withKillGracePeriod(Duration.ZERO)).hasMessageContaining("killGracePeriod");
  }
}

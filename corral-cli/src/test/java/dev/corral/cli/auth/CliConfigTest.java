package dev.corral.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {
  @TempDir
  Path dir;

  @Test
  void contextsAreFoundByAddressWithLocalhostAndLoopbackAsOne() {
    CliConfig config = new CliConfig(dir);
    config.put(new ClusterContext("a", "http://127.0.0.1:7070", "admin", "T", null, "127.0.0.1:5050"));
    config.put(new ClusterContext("b", "https://corral.example.com", "bob", "U", "PEM", null));
    assertThat(config.forUrl("http://localhost:7070/").map(ClusterContext::name)).hasValue("a");
    assertThat(config.forUrl("https://corral.example.com:443").map(ClusterContext::name)).hasValue("b");
    assertThat(config.forUrl("http://127.0.0.1:7071")).isEmpty();
    assertThat(config.current()).isEmpty();
    config.setCurrent("b");
    assertThat(config.current().map(ClusterContext::token)).hasValue("U");
  }

  @Test
  void aMastersSecretIsFoundByTheAgentsAddress() {
    CliConfig config = new CliConfig(dir);
    config.put(new ClusterContext("a", "http://127.0.0.1:7070", "admin", "T", null, "127.0.0.1:5050"));
    config.putSecret("a", "cluster-secret", "0123456789abcdef0123");
    assertThat(config.secretForMaster("localhost:5050")).hasValue("0123456789abcdef0123");
    assertThat(config.secretForMaster("127.0.0.1:5051")).isEmpty();
  }
}

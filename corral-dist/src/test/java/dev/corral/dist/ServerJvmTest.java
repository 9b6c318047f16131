package dev.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerJvmTest {
  @Test
  void theLauncherGivesTheLongRunningCommandsTheSameOptions() throws Exception {
    String launcher = Files.readString(Path.of("src/main/dist/bin/corral"));
    assertThat(launcher).contains("up|master|agent|bench) default_opts=\"" + String.join(" ", ServerJvm.defaultOptions())
        + "\"");
  }
}

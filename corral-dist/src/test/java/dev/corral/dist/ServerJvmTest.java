package dev.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerJvmTest {
  @TempDir
  Path dir;

  @Test
  void hugePagesAreAskedForOnlyWhereTheKernelHandsThemOutOnRequest() throws Exception {
    Path mode = dir.resolve("enabled");
    Files.writeString(mode, "always [madvise] never\n");
    assertThat(ServerJvm.defaultOptions(mode)).containsExactly("-XX:+UseG1GC", "-Xms256m",
        "-XX:+UseTransparentHugePages");
    Files.writeString(mode, "[always] madvise never\n");
    assertThat(ServerJvm.defaultOptions(mode)).containsExactly("-XX:+UseG1GC", "-Xms256m");
    Files.writeString(mode, "always madvise [never]\n");
    assertThat(ServerJvm.defaultOptions(mode)).doesNotContain("-XX:+UseTransparentHugePages");
    assertThat(ServerJvm.defaultOptions(dir.resolve("missing"))).containsExactly("-XX:+UseG1GC", "-Xms256m");
  }

  @Test
  void theLauncherGivesTheLongRunningCommandsTheSameOptions() throws Exception {
    String launcher = Files.readString(Path.of("src/main/dist/bin/corral"));
    assertThat(launcher).contains("default_opts=\"-XX:+UseG1GC -Xms256m\"")
        .contains("grep -qs '\\[madvise\\]' " + ServerJvm.THP_MODE)
        .contains("-XX:+UseTransparentHugePages");
  }
}

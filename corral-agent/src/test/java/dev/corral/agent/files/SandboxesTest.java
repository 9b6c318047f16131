package dev.corral.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxesTest {
  @TempDir
  Path work;
  Sandboxes sandboxes;
  Path sandbox;

  @BeforeEach
  void sandbox() throws Exception {
    Files.createDirectories(work.resolve("sandboxes/t1/data"));
    Files.writeString(work.resolve("sandboxes/t1/stdout"), "hello\n");
    Files.writeString(work.resolve("secret"), "outside\n");
    sandboxes = new Sandboxes(work.resolve("sandboxes"));
    sandbox = sandboxes.sandbox("t1");
  }

  @Test
  void resolvesFilesInsideTheSandbox() {
    assertThat(Sandboxes.confine(sandbox, "stdout")).isEqualTo(sandbox.resolve("stdout"));
    assertThat(Sandboxes.confine(sandbox, "/stdout")).isEqualTo(sandbox.resolve("stdout"));
    assertThat(Sandboxes.confine(sandbox, "")).isEqualTo(sandbox);
    assertThat(Sandboxes.confine(sandbox, null)).isEqualTo(sandbox);
    assertThat(Sandboxes.confine(sandbox, "data/")).isEqualTo(sandbox.resolve("data"));
  }

  @Test
  void refusesDotDotWith400() {
    assertThatThrownBy(() -> Sandboxes.confine(sandbox, "../../secret"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("leaves the sandbox");
    assertThatThrownBy(() -> Sandboxes.confine(sandbox, "data/../../t1/stdout"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void refusesSymlinksThatPointOutside() throws Exception {
    Files.createSymbolicLink(sandbox.resolve("link"), work.resolve("secret"));
    Files.createSymbolicLink(sandbox.resolve("dirlink"), work);
    assertThatThrownBy(() -> Sandboxes.confine(sandbox, "link"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> Sandboxes.confine(sandbox, "dirlink/secret"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void symlinksInsideTheSandboxAreFine() throws Exception {
    Files.createSymbolicLink(sandbox.resolve("out"), sandbox.resolve("stdout"));
    assertThat(Sandboxes.confine(sandbox, "out")).isEqualTo(sandbox.resolve("stdout"));
  }

  @Test
  void unknownTasksAndFilesAre404AndBadIds400() {
    assertThatThrownBy(() -> sandboxes.sandbox("nope"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> Sandboxes.confine(sandbox, "missing.txt"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> sandboxes.sandbox(".."))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> sandboxes.sandbox("a/b"))
        .isInstanceOfSatisfying(FilesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}

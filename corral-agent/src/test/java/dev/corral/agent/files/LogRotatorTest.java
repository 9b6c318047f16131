package dev.corral.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotatorTest {
  @TempDir
  Path dir;

  @Test
  void shiftsCopiesAndKeepsAtMostMaxFiles() throws Exception {
    Path f = dir.resolve("stdout");
    for (int round = 1; round <= 5; round++) {
      Files.writeString(f, ("round " + round + "\n").repeat(100), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      assertThat(LogRotator.rotateIfLarger(f, 100, 3)).isTrue();
    }
    assertThat(Files.size(f)).isZero();
    assertThat(Files.readString(dir.resolve("stdout.1"))).startsWith("round 5");
    assertThat(Files.readString(dir.resolve("stdout.2"))).startsWith("round 4");
    assertThat(dir.resolve("stdout.3")).doesNotExist();
    assertThat(LogRotator.rotateIfLarger(f, 100, 3)).isFalse();
  }

  /**
   * A real task writing continuously through an O_APPEND descriptor: its files stay bounded, and after each
   * truncation it goes on writing at the new end (no sparse file full of zeros).
   */
  @Test
  void aTaskWritingLotsOfOutputStaysUnderTheLimitTimesFiles() throws Exception {
    Path f = dir.resolve("stdout");
    long max = 64 * 1024;
    int files = 3;
    // about 1 MB/s: 10 KB lines every 10 ms
    Process task = new ProcessBuilder("bash", "-c",
        "line=$(head -c 10000 /dev/zero | tr '\\0' x); while :; do echo \"$line\"; sleep 0.01; done")
        .redirectOutput(ProcessBuilder.Redirect.appendTo(f.toFile())).start();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < end) {
        LogRotator.rotateIfLarger(f, max, files);
        Thread.sleep(50);
        assertThat(total(dir)).isLessThanOrEqualTo(files * (max + 100 * 1024));
      }
    } finally {
      task.destroyForcibly().waitFor();
    }
    assertThat(dir.resolve("stdout.2")).exists(); // it really rotated, more than once
    assertThat(dir.resolve("stdout.3")).doesNotExist();
    byte[] live = Files.readAllBytes(f);
    for (byte b : live) {
      assertThat(b == 'x' || b == '\n').as("only the task's bytes, no hole of zeros").isTrue();
    }
  }

  private static long total(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("stdout")).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}

package dev.corral.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Follows real files written by real processes and reads the events back as a client would. */
class LogFollowerTest {
  @TempDir
  Path dir;
  private Thread follower;
  private LogRotator rotator;

  @AfterEach
  void stop() throws Exception {
    if (follower != null) {
      follower.interrupt();
      follower.join(5000);
    }
  }

  /** Starts following and returns the event lines ("event: x" / "data: y") as they arrive. */
  private List<String> follow(Path file, AtomicBoolean live, long offset) throws IOException {
    PipedInputStream in = new PipedInputStream(1 << 16);
    OutputStream out = new PipedOutputStream(in);
    List<String> lines = new CopyOnWriteArrayList<>();
    follower = new Thread(() -> {
      try (out) {
        new LogFollower(file, rotator().rotations(), live::get, Duration.ofMillis(50), Duration.ofSeconds(15))
            .run(out, "{\"taskId\":\"t1\"}", offset);
      } catch (IOException | InterruptedException e) {
        // stopped by the test
      }
    });
    follower.setDaemon(true);
    follower.start();
    Thread reader = new Thread(() -> {
      try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          if (!l.isEmpty()) {
            lines.add(l);
          }
        }
      } catch (IOException e) {
        // writer gone
      }
    });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private LogRotator rotator() {
    if (rotator == null) {
      rotator = new LogRotator(dir, null, FilesConfig.defaults().withRotation(1024, 3, Duration.ofSeconds(1)));
    }
    return rotator;
  }

  @Test
  void metaFirstThenEachNewLineWithinASecond() throws Exception {
    Path file = Files.writeString(dir.resolve("stdout"), "old\n");
    AtomicBoolean live = new AtomicBoolean(true);
    List<String> events = follow(file, live, 0);
    await().atMost(Duration.ofSeconds(1)).until(() -> events.contains("data: old"));
    assertThat(events.get(0)).isEqualTo("event: meta");
    assertThat(events.get(1)).isEqualTo("data: {\"taskId\":\"t1\"}");
    Process p = new ProcessBuilder("bash", "-c", "echo fresh >> " + file).start();
    p.waitFor();
    long wrote = System.nanoTime();
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> events.contains("data: fresh"));
    assertThat(Duration.ofNanos(System.nanoTime() - wrote)).isLessThan(Duration.ofSeconds(1));
    assertThat(events).doesNotContain("event: eof");
  }

  @Test
  void endsWithEofOnceTheTaskEndedAndTheFileIsDrained() throws Exception {
    Path file = dir.resolve("stdout");
    Process task = new ProcessBuilder("bash", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.2; done; printf tail")
        .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
    AtomicBoolean live = new AtomicBoolean(true);
    List<String> events = follow(file, live, 0);
    task.waitFor();
    live.set(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("event: eof"));
    assertThat(events).containsSubsequence("data: line-1", "data: line-2", "data: line-3", "data: tail", "event: eof");
    follower.join(2000);
    assertThat(follower.isAlive()).isFalse();
  }

  @Test
  void aRotationInTheMiddleLosesAndRepeatsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("stdout"), "a\n");
    AtomicBoolean live = new AtomicBoolean(true);
    List<String> events = follow(file, live, 0);
    await().atMost(Duration.ofSeconds(1)).until(() -> events.contains("data: a"));
    List<String> expected = new java.util.ArrayList<>(List.of("data: a"));
    StringBuilder more = new StringBuilder();
    for (int i = 1; i <= 300; i++) {
      more.append("b").append(i).append('\n');
      expected.add("data: b" + i);
    }
    Files.writeString(file, more, StandardOpenOption.APPEND);
    assertThat(rotator().rotate(file)).isTrue();
    // the truncated file grows past the follower's old offset before it looks: size alone would miss it
    Files.writeString(file, "d".repeat(3000) + "\n", StandardOpenOption.APPEND);
    expected.add("data: " + "d".repeat(3000));
    await().atMost(Duration.ofSeconds(2)).until(() -> events.contains(expected.get(expected.size() - 1)));
    assertThat(events.stream().filter(e -> e.startsWith("data: ") && !e.startsWith("data: {")).toList())
        .containsExactlyElementsOf(expected);
  }
}

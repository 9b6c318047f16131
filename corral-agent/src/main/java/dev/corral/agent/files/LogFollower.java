package dev.corral.agent.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Follows one log file as server-sent events, like {@code tail -F}: an {@code event: meta} first, then one
 * {@code data:} event per line as lines are written, then {@code event: eof} once the task has ended and the
 * file is drained. Quiet streams get a comment every {@code heartbeat}.
 *
 * <p>Polls the file's size every {@code poll} (a quarter second by default) on the calling thread, which
 * blocks; a WatchService would save little, since the writes come from another process at any rate and
 * inotify does not exist on every file system tasks use. After a copy-truncate rotation (see
 * {@link LogRotator}) the file is shorter than what was read: the rest of the old file is read from
 * {@code FILE.1}, which is its copy, then the new file from its start.
 *
 * <p>Memory is bounded: one read buffer and at most {@value #MAX_LINE} bytes of an unfinished line (a longer
 * line is sent in pieces). A slow client blocks the writes, and with them the reads.
 */
public final class LogFollower {
  static final int MAX_LINE = 64 * 1024;
  private static final int CHUNK = 64 * 1024;
  private static final Duration LIVENESS_EVERY = Duration.ofSeconds(1);

  private final Path file;
  private final BooleanSupplier live;
  private final Duration poll;
  private final Duration heartbeat;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);

  /**
   * @param live whether the task may still write (blocking is fine; called about once a second)
   */
  public LogFollower(Path file, BooleanSupplier live, Duration poll, Duration heartbeat) {
    this.file = file;
    this.live = live;
    this.poll = poll;
    this.heartbeat = heartbeat;
  }

  /**
   * Streams from {@code offset} until the task ended and the file is drained, or the client is gone (an
   * IOException from {@code out}).
   */
  public void run(OutputStream out, String metaJson, long offset) throws IOException, InterruptedException {
    SseWriter sse = new SseWriter(out);
    sse.event("meta", metaJson);
    sse.flush();
    long pos = offset;
    boolean alive = true;
    long lastCheck = System.nanoTime();
    long lastWrite = System.nanoTime();
    while (true) {
      long size = sizeOf(file);
      if (size < pos) {
        Path copy = file.resolveSibling(file.getFileName() + ".1");
        copyLines(copy, pos, sizeOf(copy), sse);
        pos = 0;
        continue;
      }
      if (size > pos) {
        pos += copyLines(file, pos, size, sse);
        sse.flush();
        lastWrite = System.nanoTime();
        continue;
      }
      if (!alive) {
        if (partial.size() > 0) {
          emitPartial(sse);
        }
        sse.event("eof", "{\"reason\":\"the task has ended\"}");
        sse.flush();
        return;
      }
      long now = System.nanoTime();
      if (now - lastCheck >= LIVENESS_EVERY.toNanos()) {
        lastCheck = now;
        alive = live.getAsBoolean();
        continue; // one more look at the file before the eof: the task's last words
      }
      if (now - lastWrite >= heartbeat.toNanos()) {
        sse.comment("keep-alive");
        sse.flush();
        lastWrite = now;
      }
      TimeUnit.NANOSECONDS.sleep(poll.toNanos());
    }
  }

  /** Sends the complete lines in [from, to) and keeps an unfinished one; returns the bytes consumed. */
  private long copyLines(Path source, long from, long to, SseWriter sse) throws IOException {
    if (to <= from) {
      return 0;
    }
    long pos = from;
    try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
      while (pos < to) {
        buf.clear().limit((int) Math.min(CHUNK, to - pos));
        int n = ch.read(buf, pos);
        if (n <= 0) {
          break; // shrank under us: the next size check sees it
        }
        pos += n;
        byte[] a = buf.array();
        for (int i = 0; i < n; i++) {
          byte b = a[i];
          if (b == '\n') {
            emitPartial(sse);
          } else if (b != '\r') {
            partial.write(b);
            if (partial.size() >= MAX_LINE) {
              emitPartial(sse);
            }
          }
        }
      }
    } catch (NoSuchFileException e) {
      return to - from; // rotated away entirely; nothing left to read there
    }
    return pos - from;
  }

  private void emitPartial(SseWriter sse) throws IOException {
    sse.event(null, partial.toString(StandardCharsets.UTF_8));
    partial.reset();
  }

  static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}

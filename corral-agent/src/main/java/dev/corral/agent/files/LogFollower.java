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
 * <p>Polls the file's size every {@code poll} (a quarter second in the API) on the calling thread, which
 * blocks; a WatchService would save little, since inotify does not see every file system tasks use and
 * the check is one stat call. Reads happen under the file's {@link Rotations} lock: when the rotation count
 * has changed, the bytes not read yet are in {@code FILE.1} (the copy), read through a descriptor opened
 * under the lock, so a later rotation that renames it changes nothing; then the new file from its start.
 *
 * <p>Memory is bounded: one read buffer and at most {@value #MAX_LINE} bytes of an unfinished line (a longer
 * line is sent in pieces). A slow client blocks the writes, and with them the reads.
 */
public final class LogFollower {
  static final int MAX_LINE = 64 * 1024;
  private static final int CHUNK = 64 * 1024;
  private static final Duration LIVENESS_EVERY = Duration.ofSeconds(1);

  private final Path file;
  private final Rotations.Entry rotation;
  private final BooleanSupplier live;
  private final Duration poll;
  private final Duration heartbeat;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);

  /**
   * @param rotations the rotator's counts and locks for this agent's files
   * @param live whether the task may still write (blocking is fine; called about once a second)
   */
  public LogFollower(Path file, Rotations rotations, BooleanSupplier live, Duration poll, Duration heartbeat) {
    this.file = file;
    this.rotation = rotations.of(file);
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
    long seen;
    synchronized (rotation) {
      seen = rotation.count;
    }
    boolean alive = true;
    long lastCheck = System.nanoTime();
    long lastWrite = System.nanoTime();
    while (true) {
      boolean wasRotated = false;
      FileChannel rotated = null;
      long rotatedFrom = 0;
      int n = 0;
      synchronized (rotation) {
        if (rotation.count != seen) {
          seen = rotation.count;
          wasRotated = true;
          rotated = openOrNull(file.resolveSibling(file.getFileName() + ".1"));
          rotatedFrom = pos;
          pos = 0;
        } else {
          long size = sizeOf(file);
          if (size < pos) {
            pos = 0; // truncated by something else than our rotation: start over
          }
          if (size > pos) {
            n = read(file, pos, size);
            pos += n;
          }
        }
      }
      if (wasRotated) {
        if (rotated != null) { // null: one file kept, so there is no copy to catch up from
          try (FileChannel ch = rotated) {
            drain(ch, rotatedFrom, sse);
          }
        }
        continue;
      }
      if (n > 0) {
        emit(n, sse);
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

  /** Reads up to one chunk of [from, to) into the buffer; returns the bytes read. */
  private int read(Path source, long from, long to) throws IOException {
    try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
      buf.clear().limit((int) Math.min(CHUNK, to - from));
      int n = ch.read(buf, from);
      return Math.max(0, n);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** Sends the rest of a rotated copy from {@code from} to its end. */
  private void drain(FileChannel ch, long from, SseWriter sse) throws IOException {
    long pos = from;
    long end = ch.size();
    while (pos < end) {
      buf.clear().limit((int) Math.min(CHUNK, end - pos));
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break;
      }
      pos += n;
      emit(n, sse);
    }
    sse.flush();
  }

  /** Sends the complete lines among the first {@code n} bytes of the buffer and keeps an unfinished one. */
  private void emit(int n, SseWriter sse) throws IOException {
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

  private void emitPartial(SseWriter sse) throws IOException {
    sse.event(null, partial.toString(StandardCharsets.UTF_8));
    partial.reset();
  }

  private static FileChannel openOrNull(Path p) throws IOException {
    try {
      return FileChannel.open(p, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}

package dev.corral.agent.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each live task's {@code stdout} and {@code stderr} under a size: when one is larger than the limit it
 * is copied to {@code FILE.1} (older copies shift to {@code .2}, …, the oldest beyond the limit is deleted)
 * and truncated to zero.
 *
 * <p>Why copy-truncate: the task writes the file itself (the agent holds no pipe, so tasks outlive agent
 * restarts), and it cannot be told to reopen it. Its descriptor was opened with {@code O_APPEND} (the task
 * monitor's {@code >>}), so after the truncation its next write lands at the new end, offset 0, with no hole.
 * <b>Loss window:</b> what the task writes between the end of the copy and the truncation (microseconds) is
 * in neither file. A file can also exceed the limit by what is written during one check interval.
 *
 * <p>Runs on a thread of its own every interval; the live tasks come from the agent's loop.
 */
public final class LogRotator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogRotator.class);
  static final List<String> STREAMS = List.of("stdout", "stderr");

  private final Path sandboxes;
  private final TaskLookup tasks;
  private final FilesConfig config;
  private final ScheduledExecutorService timer;
  private final Rotations rotations = new Rotations();

  public LogRotator(Path sandboxes, TaskLookup tasks, FilesConfig config) {
    this.sandboxes = sandboxes;
    this.tasks = tasks;
    this.config = config;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agent-log-rotation");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    long every = config.rotateInterval().toMillis();
    timer.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
  }

  private void checkAll() {
    List<String> live;
    try {
      live = tasks.liveTaskIds().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("log rotation skipped: {}", e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    java.util.Set<Path> dirs = new java.util.HashSet<>();
    for (String id : live) {
      dirs.add(sandboxes.resolve(id));
      for (String stream : STREAMS) {
        Path file = sandboxes.resolve(id).resolve(stream);
        try {
          rotate(file);
        } catch (IOException e) {
          log.warn("cannot rotate {}: {}", file, e.toString());
        }
      }
    }
    rotations.retainOnly(dirs);
  }

  /** The rotation counts and locks followers read under. */
  public Rotations rotations() {
    return rotations;
  }

  /** Rotates {@code file} if it is over the limit, under its lock, counting the rotation. */
  public boolean rotate(Path file) throws IOException {
    Rotations.Entry entry = rotations.of(file);
    synchronized (entry) {
      boolean done = rotateIfLarger(file, config.logMaxBytes(), config.logMaxFiles());
      if (done) {
        entry.count++;
      }
      return done;
    }
  }

  /** Rotates {@code file} if it is larger than {@code maxBytes}; returns whether it did. */
  public static boolean rotateIfLarger(Path file, long maxBytes, int maxFiles) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (size <= maxBytes) {
      return false;
    }
    if (maxFiles > 1) {
      Files.deleteIfExists(numbered(file, maxFiles - 1));
      for (int k = maxFiles - 2; k >= 1; k--) {
        Path from = numbered(file, k);
        if (Files.exists(from)) {
          Files.move(from, numbered(file, k + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (maxFiles > 1) {
        try (FileChannel copy = FileChannel.open(numbered(file, 1), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          long pos = 0;
          // copy up to the current end, re-reading it, so the window before the truncation stays tiny
          while (pos < in.size()) {
            long n = in.transferTo(pos, in.size() - pos, copy);
            if (n <= 0) {
              break;
            }
            pos += n;
          }
        }
      }
      in.truncate(0);
    }
    return true;
  }

  static Path numbered(Path file, int k) {
    return file.resolveSibling(file.getFileName() + "." + k);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

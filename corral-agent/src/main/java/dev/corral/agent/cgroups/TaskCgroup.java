package dev.corral.agent.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup directories of one task: one per v1 controller hierarchy, or a single v2 directory.
 * Immutable; its methods do blocking file I/O and belong on worker threads, never on the event loop.
 */
public final class TaskCgroup {
  private static final Logger log = LoggerFactory.getLogger(TaskCgroup.class);
  private static final int RMDIR_ATTEMPTS = 200;
  private static final long RMDIR_PAUSE_MS = 10;

  /** No cgroups: nothing to join, nothing to read, nothing to remove. */
  public static final TaskCgroup NONE = new TaskCgroup(List.of(), null, null);

  private final List<Path> dirs;
  private final Path oomFile;
  private final Path killFile;

  /**
   * @param dirs the task's directories
   * @param oomFile v1 {@code memory.oom_control} or v2 {@code memory.events}: both count {@code oom_kill}
   * @param killFile v2 {@code cgroup.kill}, which kills every process in the cgroup at once; null on v1
   */
  TaskCgroup(List<Path> dirs, Path oomFile, Path killFile) {
    this.dirs = List.copyOf(dirs);
    this.oomFile = oomFile;
    this.killFile = killFile;
  }

  public List<Path> dirs() {
    return dirs;
  }

  /** The {@code cgroup.procs} files the task writes its own pid into before it execs the command. */
  public List<Path> procsFiles() {
    List<Path> out = new ArrayList<>();
    dirs.forEach(d -> out.add(d.resolve("cgroup.procs")));
    return out;
  }

  /** Every process still in any of the task's cgroups. */
  public Set<Long> pids() {
    Set<Long> out = new LinkedHashSet<>();
    for (Path dir : dirs) {
      try {
        for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
          if (!line.isBlank()) {
            out.add(Long.parseLong(line.trim()));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // the directory is gone or being removed: nothing of ours is left in it
      }
    }
    return out;
  }

  /**
   * Whether the kernel's OOM killer killed a process here. Read the counter, not {@code memory.failcnt},
   * which stays 0 on v1 when allocations fail straight into the OOM killer.
   */
  public boolean oomKilled() {
    if (oomFile == null) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(oomFile, StandardCharsets.US_ASCII)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 2 && f[0].equals("oom_kill")) {
          return Long.parseLong(f[1]) > 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      log.debug("cannot read {}: {}", oomFile, e.toString());
    }
    return false;
  }

  /** SIGKILLs every process left in the task's cgroups. */
  public void killAll() {
    if (killFile != null && Files.exists(killFile)) {
      try {
        Files.writeString(killFile, "1");
      } catch (IOException e) {
        log.debug("cgroup.kill failed for {}: {}", killFile, e.toString());
      }
    }
    for (long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Kills what is left and removes the directories. A cgroup cannot be removed while dying processes are
   * still in it, so removal retries for up to two seconds; a directory that stays is logged and left.
   */
  public void destroy() {
    for (Path dir : dirs) {
      removeWithRetry(dir);
    }
  }

  private void removeWithRetry(Path dir) {
    for (int attempt = 0; attempt < RMDIR_ATTEMPTS; attempt++) {
      if (!Files.exists(dir)) {
        return;
      }
      killAll();
      try {
        Files.delete(dir);
        return;
      } catch (IOException e) {
        if (attempt == RMDIR_ATTEMPTS - 1) {
          log.warn("cannot remove cgroup {}: {}", dir, e.toString());
          return;
        }
      }
      if (!pause()) {
        return;
      }
    }
  }

  private static boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(RMDIR_PAUSE_MS); // I/O retry on a worker thread; never on the loop
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

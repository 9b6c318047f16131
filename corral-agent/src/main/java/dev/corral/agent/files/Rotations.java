package dev.corral.agent.files;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each log file has been rotated, and the lock that orders a rotation against a follower's reads.
 * A follower that reads under the lock and sees the count change knows that the bytes it had not read yet
 * are in {@code FILE.1}; size alone cannot tell, since the truncated file may have grown past the old offset
 * before the follower looks again. Thread-safe.
 */
public final class Rotations {
  /** Per file; the count is guarded by the entry's monitor. */
  static final class Entry {
    long count;
  }

  private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();

  /** The monitor to hold while rotating or reading {@code file}. */
  Entry of(Path file) {
    return entries.computeIfAbsent(file, k -> new Entry());
  }

  /** Forgets files outside the given sandboxes (their tasks ended, nothing rotates them any more). */
  void retainOnly(Set<Path> sandboxes) {
    entries.keySet().removeIf(file -> !sandboxes.contains(file.getParent()));
  }
}

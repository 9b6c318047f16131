package dev.corral.agent.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads cgroup control files and {@code /proc} files. A file that is missing or unreadable reads as absent,
 * never as an error: a task may end between listing and reading, and kernels differ in what they offer.
 * Stateless.
 */
final class ControlFiles {
  /** v1 writes this (or more) for "no limit"; anything above 2^62 is no limit for our purposes. */
  private static final long UNLIMITED = 1L << 62;

  private ControlFiles() {}

  /** A file holding one number; {@code max} (v2's "no limit") and v1's huge "no limit" read as absent. */
  static OptionalLong number(Path dir, String file) {
    String text = text(dir, file);
    if (text == null || text.isEmpty() || text.equals("max")) {
      return OptionalLong.empty();
    }
    try {
      long value = Long.parseLong(text.split("\\s+")[0]);
      return value >= UNLIMITED ? OptionalLong.empty() : OptionalLong.of(value);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** A file of {@code key value} lines such as {@code cpu.stat} or {@code memory.events}; empty when missing. */
  static Map<String, Long> keyed(Path dir, String file) {
    Map<String, Long> out = new LinkedHashMap<>();
    String text = text(dir, file);
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2) {
        try {
          out.put(f[0], Long.parseLong(f[1]));
        } catch (NumberFormatException e) {
          // a value we do not use (e.g. "max")
        }
      }
    }
    return out;
  }

  /** The trimmed text, or null when the file (or its directory) is missing or unreadable. */
  static String text(Path dir, String file) {
    if (dir == null) {
      return null;
    }
    try {
      return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII).trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}

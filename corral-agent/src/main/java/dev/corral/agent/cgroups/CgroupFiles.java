package dev.corral.agent.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small helpers for cgroupfs control files. Stateless. */
final class CgroupFiles {
  private CgroupFiles() {}

  /** Writes one value. Errors name the file, since "Invalid argument" alone says little. */
  static void write(Path file, String value) throws IOException {
    try {
      Files.writeString(file, value, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes a value only where the kernel offers the file (swap accounting, for one, is optional). */
  static void writeIfPresent(Path file, String value) throws IOException {
    if (Files.exists(file)) {
      write(file, value);
    }
  }

  /** The whitespace-separated words of a file such as {@code cgroup.controllers}; empty when missing. */
  static List<String> words(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes directories created so far when a later step fails; best effort. */
  static void removeQuietly(List<Path> dirs) {
    for (Path d : dirs) {
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        // left for the next attempt under the same task id, which reuses it
      }
    }
  }
}

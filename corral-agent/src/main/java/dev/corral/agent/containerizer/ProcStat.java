package dev.corral.agent.containerizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /proc/PID/stat}: whether a process lives and when it started. A pid alone is not an identity
 * (pids are reused, quickly on hosts with {@code pid_max} 32768); pid plus start time is. Stateless.
 */
public final class ProcStat {
  /**
   * A parsed stat line: the state letter (R, S, Z, ...), the process group id and the start time in clock
   * ticks since boot.
   */
  public record Stat(char state, long processGroup, long startTime) {
    public boolean zombie() {
      return state == 'Z' || state == 'X' || state == 'x';
    }
  }

  private ProcStat() {}

  /** The stat of a pid, or null when there is no such process. */
  public static Stat read(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Field 22 of the stat line, or 0 when the process is gone. */
  public static long startTime(long pid) {
    Stat s = read(pid);
    return s == null ? 0 : s.startTime();
  }

  /**
   * Whether {@code pid} is a live (non-zombie) process that started at {@code startTime}; a start time of 0
   * (unknown) matches any process with that pid.
   */
  public static boolean alive(long pid, long startTime) {
    if (pid <= 0) {
      return false;
    }
    Stat s = read(pid);
    return s != null && !s.zombie() && (startTime == 0 || s.startTime() == startTime);
  }

  /**
   * Parses a stat line. The command name (field 2) is in parentheses and may itself contain spaces and
   * parentheses, so fields are counted from the last ')'.
   */
  static Stat parse(String line) {
    int close = line.lastIndexOf(')');
    String[] rest = line.substring(close + 2).trim().split(" ");
    // rest[0] is field 3 (state), so field 5 (pgrp) is rest[2] and field 22 (starttime) is rest[19]
    return new Stat(rest[0].charAt(0), Long.parseLong(rest[2]), Long.parseLong(rest[19]));
  }
}

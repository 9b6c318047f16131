package dev.corral.dist;

import java.util.List;

/**
 * The JVM options bin/corral gives the long-running commands (up, master, agent, bench), for Java code that
 * starts such a process itself; keep the two in step.
 */
public final class ServerJvm {
  private ServerJvm() {}

  /** G1 and a small starting heap that grows as needed. */
  public static List<String> defaultOptions() {
    return List.of("-XX:+UseG1GC", "-Xms256m");
  }
}

package dev.corral.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options bin/corral gives the long-running commands (up, master, agent, bench), for Java code that
 * starts such a process itself; keep the two in step.
 */
public final class ServerJvm {
  static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  private ServerJvm() {}

  /** G1, a small starting heap, and transparent huge pages where the kernel hands them out on request. */
  public static List<String> defaultOptions() {
    return defaultOptions(THP_MODE);
  }

  static List<String> defaultOptions(Path thpMode) {
    List<String> options = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xms256m"));
    if (hugePagesOnRequest(thpMode)) {
      options.add("-XX:+UseTransparentHugePages");
    }
    return options;
  }

  /**
   * Whether the kernel's transparent huge pages are in "madvise" mode (the JVM must ask; with "always" it
   * gets them anyway, with "never" asking only earns a warning).
   */
  static boolean hugePagesOnRequest(Path thpMode) {
    try {
      return Files.readString(thpMode).contains("[madvise]");
    } catch (IOException e) {
      return false;
    }
  }
}

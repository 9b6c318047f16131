package dev.corral.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Absolute paths of the util-linux and coreutils programs a launch needs, found once at start. Absolute,
 * because the task's own PATH (which a task may set) must not decide what the agent runs.
 *
 * @param bash required: runs the task monitor, whose job control gives each task its own process group
 * @param setpriv switches to {@code CommandInfo.user}; null when missing (then such tasks fail to launch)
 * @param kill procps {@code kill}, which can signal a process group
 */
public record HostTools(String bash, String setpriv, String kill) {
  private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

  public static HostTools detect() {
    String bash = find("bash");
    if (bash == null) {
      throw new IllegalStateException("bash not found in " + DIRS + "; the agent needs it for its task monitor");
    }
    String kill = find("kill");
    return new HostTools(bash, find("setpriv"), kill == null ? "kill" : kill);
  }

  private static String find(String name) {
    for (String dir : DIRS) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}

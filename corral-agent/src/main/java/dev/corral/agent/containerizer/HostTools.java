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
 * @param setsid required: starts the monitor and the task in new sessions
 * @param setpriv switches to {@code CommandInfo.user}; null when missing (then such tasks fail to launch)
 * @param env coreutils {@code env} when it supports {@code --default-signal}, else null (see
 *     {@link TaskCommand} for why the task needs it)
 * @param kill procps {@code kill}, which can signal a process group
 */
public record HostTools(String setsid, String setpriv, String env, String kill) {
  private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

  public static HostTools detect() {
    String setsid = find("setsid");
    if (setsid == null) {
      throw new IllegalStateException("setsid (util-linux) not found in " + DIRS + "; the agent needs it");
    }
    String kill = find("kill");
    return new HostTools(setsid, find("setpriv"), envWithDefaultSignal(), kill == null ? "kill" : kill);
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

  private static String envWithDefaultSignal() {
    String env = find("env");
    if (env == null) {
      return null;
    }
    try {
      Process p = new ProcessBuilder(env, "--default-signal=INT,QUIT", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? env : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}

package dev.corral.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host program ({@code ip}, {@code iptables}, the OCI runtime), optionally feeding it a script on stdin,
 * and returns its exit code and combined output; never waits more than 30 s. Stateless.
 */
public final class HostCommand {
  private HostCommand() {}

  /** Exit code and combined output. */
  public record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  public static Result run(List<String> argv, String stdin) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", argv));
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** Runs it and throws with the program's output when it fails. */
  static String check(List<String> argv, String stdin) throws IOException {
    Result r = run(argv, stdin);
    if (!r.ok()) {
      throw new IOException(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.output()
          + (stdin == null ? "" : "\ninput:\n" + stdin));
    }
    return r.output();
  }
}

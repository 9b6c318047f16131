package dev.corral.agent.containerizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A user from the passwd database, for running a task as {@code CommandInfo.user}. */
public record PosixUser(String name, long uid, long gid, String home) {

  /**
   * Looks the user up in {@code /etc/passwd} and, failing that, with {@code getent passwd} (which also
   * asks LDAP and the like). Blocking; worker threads only.
   */
  public static Optional<PosixUser> lookup(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
        Optional<PosixUser> u = parse(line, name);
        if (u.isPresent()) {
          return u;
        }
      }
    } catch (IOException e) {
      // fall through to getent
    }
    return getent(name);
  }

  private static Optional<PosixUser> getent(String name) {
    try {
      Process p = new ProcessBuilder("getent", "passwd", "--", name).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return parse(new String(out, StandardCharsets.UTF_8).trim(), name);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static Optional<PosixUser> parse(String line, String name) {
    List<String> f = List.of(line.split(":", -1));
    if (f.size() < 7 || !f.get(0).equals(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PosixUser(name, Long.parseLong(f.get(2)), Long.parseLong(f.get(3)), f.get(5)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

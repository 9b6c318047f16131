package dev.corral.agent.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Finds task sandboxes under the agent's {@code sandboxes/} directory and confines request paths to them.
 * A sandbox stays after its task ended (for its logs), so finished tasks are browsable while it exists.
 *
 * <p>Confinement is checked twice: a path with a {@code ..} segment is refused before touching the disk,
 * and the resolved real path (symlinks followed) must still lie inside the sandbox's real path, so a task
 * cannot publish {@code /etc/shadow} by linking to it. Thread-safe (no state).
 */
public final class Sandboxes {
  /** The same rule the agent applies before running a task (its id names the sandbox directory). */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,200}");

  private final Path root;

  /** @param root the agent's {@code WORK_DIR/sandboxes} */
  public Sandboxes(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The task's sandbox; 404 when there is none. */
  public Path sandbox(String taskId) {
    if (!SAFE_ID.matcher(taskId).matches() || taskId.equals(".") || taskId.equals("..")) {
      throw FilesException.badRequest("'" + taskId + "' is not a task id");
    }
    Path dir = root.resolve(taskId);
    if (!Files.isDirectory(dir)) {
      throw FilesException.notFound("task " + taskId + " has no sandbox on this agent");
    }
    try {
      return dir.toRealPath(); // listings relativize against real paths, see confine
    } catch (IOException e) {
      throw FilesException.notFound("task " + taskId + " has no sandbox on this agent");
    }
  }

  /**
   * The file or directory {@code rel} names inside {@code sandbox} ("" or "/" is the sandbox itself). 400 when
   * it would leave the sandbox, 404 when it does not exist.
   */
  public static Path confine(Path sandbox, String rel) {
    String path = rel == null ? "" : rel.replace('\\', '/');
    while (path.startsWith("/")) {
      path = path.substring(1); // sandbox-relative either way, like the Mesos sandbox paths users copy
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        throw FilesException.badRequest("path '" + rel + "' leaves the sandbox: '..' is not allowed");
      }
    }
    if (path.indexOf('\0') >= 0) {
      throw FilesException.badRequest("path '" + rel + "' contains a NUL character");
    }
    Path target = path.isEmpty() ? sandbox : sandbox.resolve(path).normalize();
    try {
      Path realSandbox = sandbox.toRealPath();
      Path real = target.toRealPath();
      if (!real.startsWith(realSandbox)) {
        throw FilesException.badRequest("path '" + rel + "' leaves the sandbox (a symbolic link points outside it)");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw FilesException.notFound("no file '" + path + "' in the sandbox");
    } catch (IOException e) {
      throw new FilesException(500, "cannot read '" + path + "': " + e.getMessage());
    }
  }
}

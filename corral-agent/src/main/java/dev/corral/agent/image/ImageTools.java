package dev.corral.agent.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs skopeo and umoci, and turns their failures into one readable line. Stateless; thread-safe.
 */
final class ImageTools {
  private static final Pattern FATAL = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final List<String> DIRS = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin");
  private static final long TIMEOUT_MINUTES = 30;

  private ImageTools() {}

  /** The tool's absolute path, or null when it is not installed. */
  static String find(String name) {
    for (String dir : DIRS) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** Runs {@code argv} to its end; throws with the tool's own error (its last fatal message) on failure. */
  static void run(List<String> argv, Path scratch) throws ImageException, InterruptedException {
    Path errors = scratch.resolve("stderr-" + Thread.currentThread().getId());
    try {
      Files.createDirectories(scratch);
      Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(errors.toFile()).start();
      try {
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          throw new ImageException(argv.get(0) + " took more than " + TIMEOUT_MINUTES + " minutes");
        }
      } finally {
        p.destroyForcibly(); // a no-op after its exit; stops it when we were interrupted or timed out
      }
      if (p.exitValue() != 0) {
        throw new ImageException(reason(Files.readString(errors, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new ImageException("cannot run " + argv.get(0) + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(errors);
      } catch (IOException ignored) {
        // scratch space; the next pull cleans it
      }
    }
  }

  /**
   * The meaningful part of skopeo's or umoci's stderr: the message of its last {@code level=fatal} line,
   * without the wrapping that repeats the reference ("reading manifest x in r/y: manifest unknown:
   * manifest unknown" becomes "manifest unknown").
   */
  static String reason(String stderr) {
    String text = stderr.strip();
    Matcher m = FATAL.matcher(text);
    String msg = null;
    while (m.find()) {
      msg = m.group(1).replace("\\\"", "\"");
    }
    if (msg == null) {
      String[] lines = text.split("\n");
      msg = lines.length == 0 || lines[lines.length - 1].isBlank() ? "failed with no message" : lines[lines.length - 1];
    }
    String[] parts = msg.split(": ");
    String last = parts[parts.length - 1].strip();
    // "a: b: b" -> "b"; keep the whole chain when its tail alone says too little
    if (parts.length >= 2 && parts[parts.length - 2].strip().equals(last)) {
      return last;
    }
    return parts.length >= 2 ? parts[parts.length - 2].strip() + ": " + last : last;
  }
}

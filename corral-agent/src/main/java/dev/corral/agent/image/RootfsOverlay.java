package dev.corral.agent.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A task's root filesystem: an overlay whose lower layer is the cached image rootfs (never written) and
 * whose upper layer is the task's own, so a task's writes neither reach the cache nor other tasks, and a
 * launch costs one mount instead of a copy of the image. The mount lives in the host's mount namespace,
 * so it outlives an agent restart until the task's exit is collected. Stateless.
 */
public final class RootfsOverlay {
  private RootfsOverlay() {}

  /**
   * Mounts {@code lower} + {@code scratch/upper} at {@code target}.
   *
   * @param scratch the task's own directory for the upper and work directories (same filesystem)
   */
  public static void mount(Path lower, Path scratch, Path target) throws IOException, InterruptedException {
    for (Path p : List.of(lower, scratch)) {
      String s = p.toString();
      if (s.contains(",") || s.contains(":")) {
        throw new IOException("overlay paths must not contain ',' or ':': " + s);
      }
    }
    Path upper = scratch.resolve("upper");
    Path work = scratch.resolve("work");
    Files.createDirectories(upper);
    Files.createDirectories(work);
    Files.createDirectories(target);
    run(List.of("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, target.toString()));
  }

  /** Unmounts {@code target} if it is mounted, then removes the task's upper layer. */
  public static void unmount(Path target, Path scratch) throws IOException, InterruptedException {
    if (mounted(target)) {
      run(List.of("umount", target.toString()));
    }
    ImageStore.deleteTree(scratch);
  }

  static boolean mounted(Path target) throws IOException {
    String t = target.toAbsolutePath().normalize().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      // octal escapes (\040 for a blank) in mountinfo; our paths have none to decode
      if (f.length > 4 && f[4].equals(t)) {
        return true;
      }
    }
    return false;
  }

  private static void run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(argv.get(0) + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv.subList(0, 2)) + " failed: " + out);
    }
  }
}

package dev.corral.agent.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * File writes that a crash of the agent cannot leave half done: write a temp file beside the target and
 * rename it over the target. A reader sees the old content or the new, never a torn mix.
 *
 * <p>No fsync, on purpose: what the checkpoint protects against is the agent process dying (restarts,
 * upgrades, crashes), and the kernel's page cache outlives any process. An OS crash is the only case where
 * an fsync would matter, and it kills every task with the OS: the agent then finds older or missing
 * checkpoints, reports those tasks as ended with an unknown status or not at all, and the schedulers'
 * reconciliation replaces them either way. Three fsyncs per launch (≈1 ms each here) would otherwise be most
 * of the cost of starting a task. Thread-safe for distinct targets.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes a file or a directory tree; missing is fine. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package dev.corral.dist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Keeps two processes from using one work dir at once (they would fight over tasks and ZooKeeper data). */
public final class WorkDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private WorkDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails with a message that says who holds it and what to do. */
  public static WorkDirLock acquire(Path workDir, String role) throws IOException {
    Files.createDirectories(workDir);
    Path file = workDir.resolve(role + ".lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
      channel.close();
      throw new IllegalStateException("another corral " + role + " (pid " + (holder.isEmpty() ? "?" : holder)
          + ") is using " + workDir + "; stop it or pass a different --work-dir");
    }
    channel.truncate(0);
    channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
    return new WorkDirLock(channel, lock);
  }

  /** Releases the lock; a failure is ignored, since the OS releases it when the process exits anyway. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the process is exiting or the file is gone; nothing else holds the lock
    }
  }
}

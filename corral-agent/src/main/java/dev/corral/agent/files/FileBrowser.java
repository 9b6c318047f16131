package dev.corral.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Directory listings and ranged reads of sandbox files (Mesos' {@code /files/browse} and {@code /files/read}).
 * Paths come from {@link Sandboxes#confine}. Blocking file I/O; thread-safe (no state).
 */
public final class FileBrowser {
  /** The most one read returns, so one request cannot pull a multi-gigabyte file into memory. */
  public static final int MAX_READ = 1024 * 1024;

  /** What {@code /read} answers: Mesos' shape, the data from {@code offset}. */
  public record Chunk(String data, long offset) {}

  private FileBrowser() {}

  /** The entries of a directory (or the one entry of a file), sorted by path. */
  public static List<FileEntry> browse(Path sandbox, Path target) {
    List<FileEntry> out = new ArrayList<>();
    try {
      if (!Files.isDirectory(target)) {
        out.add(entry(sandbox, target));
        return out;
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(target)) {
        for (Path child : children) {
          out.add(entry(sandbox, child));
        }
      }
    } catch (IOException e) {
      throw new FilesException(500, "cannot list '" + sandbox.relativize(target) + "': " + e.getMessage());
    }
    out.sort(Comparator.comparing(FileEntry::path));
    return out;
  }

  /**
   * Up to {@code length} bytes (at most {@link #MAX_READ}; negative means as much as allowed) from
   * {@code offset}. An offset of -1 reads nothing and answers the file's size as the offset, as Mesos does,
   * so that a client can start tailing at the end. An offset past the end reads nothing.
   */
  public static Chunk read(Path file, long offset, long length) {
    if (Files.isDirectory(file)) {
      throw FilesException.badRequest("'" + file.getFileName() + "' is a directory; browse it instead");
    }
    if (offset < -1) {
      throw FilesException.badRequest("offset must be -1 or at least 0, got " + offset);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset == -1) {
        return new Chunk("", size);
      }
      long want = length < 0 ? MAX_READ : Math.min(length, MAX_READ);
      int n = (int) Math.max(0, Math.min(want, size - offset));
      ByteBuffer buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
        // positional reads until the chunk is full or the file ends (it may shrink under rotation)
      }
      return new Chunk(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8), offset);
    } catch (IOException e) {
      throw new FilesException(500, "cannot read '" + file.getFileName() + "': " + e.getMessage());
    }
  }

  private static FileEntry entry(Path sandbox, Path p) throws IOException {
    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    char type = a.isDirectory() ? 'd' : a.isSymbolicLink() ? 'l' : '-';
    String mode = type + PosixFilePermissions.toString(a.permissions());
    String rel = sandbox.relativize(p).toString().replace('\\', '/');
    return new FileEntry(rel, a.size(), a.lastModifiedTime().toMillis() / 1000, mode, a.isDirectory());
  }
}

package dev.corral.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the last N lines of a log file start, found by reading backwards in blocks, so that the tail of a
 * large log costs only the bytes it returns. Blocking; thread-safe (no state).
 */
public final class LogTail {
  private static final int BLOCK = 8192;

  private LogTail() {}

  /**
   * The byte offset of the first of the last {@code lines} lines. A final line without a newline counts as
   * a line. 0 lines gives the file's size; a missing file gives 0.
   */
  public static long startOfLastLines(Path file, int lines) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (lines <= 0 || size == 0) {
        return size;
      }
      long pos = size;
      int newlines = 0;
      boolean first = true;
      ByteBuffer buf = ByteBuffer.allocate(BLOCK);
      while (pos > 0) {
        int n = (int) Math.min(BLOCK, pos);
        pos -= n;
        buf.clear().limit(n);
        while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) > 0) {
          // fill the block
        }
        for (int i = buf.position() - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            if (first && pos + i == size - 1) {
              continue; // the newline that ends the last line does not start a new one
            }
            newlines++;
            if (newlines == lines) {
              return pos + i + 1;
            }
          }
        }
        first = false;
      }
      return 0;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}

package dev.corral.cli.task;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Remote output bytes onto a local {@link PrintWriter}. A UTF-8 character may be split across two frames,
 * so the bytes of an unfinished one wait for the next frame instead of turning into a replacement mark.
 * Not thread-safe: one per stream, fed by one thread.
 */
final class Utf8Output {
  private final PrintWriter out;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer pending = ByteBuffer.allocate(0);

  Utf8Output(PrintWriter out) {
    this.out = out;
  }

  void write(byte[] bytes) {
    ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length);
    in.put(pending).put(bytes).flip();
    CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, chars, false);
    chars.flip();
    out.append(chars);
    out.flush();
    pending = in; // at most the 3 bytes of an unfinished character
  }
}

package dev.corral.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frames of {@code corral task exec}, one definition for the agent that runs the command and the CLI that
 * drives it (the gateway passes them through untouched). Modelled on Kubernetes' {@code channel.k8s.io}: every
 * WebSocket message is binary, its first byte names the channel, the rest is the payload.
 * <pre>
 * channel  direction        payload
 * 0 STDIN  client → agent   bytes for the command's stdin
 * 1 STDOUT agent → client   bytes the command wrote to stdout (with a TTY: everything it wrote)
 * 2 STDERR agent → client   bytes the command wrote to stderr (never with a TTY)
 * 3 STATUS agent → client   JSON {"exitCode": N} when the command ended, or {"error": "..."} when it could
 *                           not start; the agent closes the connection right after
 * 4 RESIZE client → agent   JSON {"cols": C, "rows": R}: the terminal's new size (TTY only)
 * 5 EOF    client → agent   no payload: the client's stdin ended (with a TTY the agent types Ctrl-D)
 * </pre>
 * Text messages and unknown channels are ignored, so either side may add channels later. Stateless.
 */
public final class ExecFrames {
  public static final byte STDIN = 0;
  public static final byte STDOUT = 1;
  public static final byte STDERR = 2;
  public static final byte STATUS = 3;
  public static final byte RESIZE = 4;
  public static final byte EOF = 5;

  private ExecFrames() {}

  /** A frame of {@code channel} carrying {@code len} bytes of {@code data} from {@code off}. */
  public static ByteBuffer frame(byte channel, byte[] data, int off, int len) {
    ByteBuffer b = ByteBuffer.allocate(len + 1);
    b.put(channel).put(data, off, len).flip();
    return b;
  }

  public static ByteBuffer frame(byte channel, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return frame(channel, bytes, 0, bytes.length);
  }

  public static ByteBuffer exit(int exitCode) {
    return frame(STATUS, Json.mapper().createObjectNode().put("exitCode", exitCode).toString());
  }

  public static ByteBuffer error(String message) {
    return frame(STATUS, Json.mapper().createObjectNode().put("error", message).toString());
  }

  public static ByteBuffer resize(int cols, int rows) {
    ObjectNode size = Json.mapper().createObjectNode().put("cols", cols).put("rows", rows);
    return frame(RESIZE, size.toString());
  }

  /** The channel of a received frame, -1 for an empty one. Does not move the buffer's position. */
  public static int channel(ByteBuffer frame) {
    return frame.remaining() == 0 ? -1 : frame.get(frame.position());
  }

  /** The payload of a received frame: a copy of the bytes after the channel byte. */
  public static byte[] payload(ByteBuffer frame) {
    ByteBuffer b = frame.duplicate();
    if (b.remaining() > 0) {
      b.get();
    }
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** The JSON payload of a STATUS or RESIZE frame. */
  public static JsonNode json(ByteBuffer frame) {
    try {
      return Json.mapper().readTree(payload(frame));
    } catch (IOException e) {
      throw new UncheckedIOException("a malformed exec frame: " + e.getMessage(), e);
    }
  }

  /**
   * Joins the fragments a WebSocket client may deliver one message in (java.net.http's onBinary with
   * {@code last} false) back into whole frames. One per connection; not thread-safe.
   */
  public static final class Reassembler {
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    /** The whole frame once {@code last} arrives, else null. */
    public ByteBuffer add(ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (!last) {
        return null;
      }
      ByteBuffer frame = ByteBuffer.wrap(partial.toByteArray());
      partial.reset();
      return frame;
    }
  }
}

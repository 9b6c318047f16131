package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.ExecFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The CLI's end of one exec ({@link ExecFrames}): remote stdout and stderr onto the local streams, local
 * input and resizes out, and the outcome. The JDK calls the listener methods one at a time; sends are
 * serialized here because the JDK allows one outstanding send per WebSocket.
 */
final class ExecConnection implements WebSocket.Listener {
  private final Utf8Output out;
  private final Utf8Output err;
  private final ExecFrames.Reassembler frames = new ExecFrames.Reassembler();
  private final CompletableFuture<JsonNode> outcome = new CompletableFuture<>();
  private volatile WebSocket socket;

  ExecConnection(PrintWriter out, PrintWriter err) {
    this.out = new Utf8Output(out);
    this.err = new Utf8Output(err);
  }

  void attach(WebSocket socket) {
    this.socket = socket;
  }

  /** Copies {@code in} as STDIN frames until it ends, then sends EOF. For a thread of its own. */
  void pumpStdin(InputStream in) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n > 0) {
          send(ExecFrames.frame(ExecFrames.STDIN, buf, 0, n));
        }
      }
      send(ExecFrames.frame(ExecFrames.EOF, ""));
    } catch (IOException e) {
      // local input broke or the connection ended: the outcome says which
    }
  }

  void resize(int cols, int rows) {
    try {
      send(ExecFrames.resize(cols, rows));
    } catch (IOException e) {
      // the command has ended; its status is on the way
    }
  }

  synchronized void send(ByteBuffer frame) throws IOException {
    try {
      socket.sendBinary(frame, true).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | IllegalStateException e) {
      throw new IOException("the connection is closed", e);
    }
  }

  /**
   * Blocks until the command ended: its STATUS ({@code exitCode} or {@code error}), or null when the
   * connection closed without one.
   */
  JsonNode awaitOutcome() throws InterruptedException {
    try {
      return outcome.get();
    } catch (ExecutionException e) {
      return null;
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    ByteBuffer frame = frames.add(data, last);
    if (frame != null) {
      int channel = ExecFrames.channel(frame);
      if (channel == ExecFrames.STDOUT) {
        out.write(ExecFrames.payload(frame));
      } else if (channel == ExecFrames.STDERR) {
        err.write(ExecFrames.payload(frame));
      } else if (channel == ExecFrames.STATUS) {
        outcome.complete(ExecFrames.json(frame));
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    outcome.complete(null);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    outcome.complete(null);
  }
}

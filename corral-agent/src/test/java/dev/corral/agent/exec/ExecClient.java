package dev.corral.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.ExecFrames;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A test's end of an exec: collects what each channel brought and the STATUS frame. Thread-safe. */
public final class ExecClient implements WebSocket.Listener {
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final ExecFrames.Reassembler frames = new ExecFrames.Reassembler();
  private final CompletableFuture<JsonNode> status = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private WebSocket socket;

  /** Opens {@code ws://…} with {@code query} (cmd=…&tty=…); fails as the handshake does. */
  public static ExecClient open(String url) throws Exception {
    ExecClient client = new ExecClient();
    client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS);
    return client;
  }

  public void stdin(String text) {
    socket.sendBinary(ExecFrames.frame(ExecFrames.STDIN, text), true).join();
  }

  public void endStdin() {
    socket.sendBinary(ExecFrames.frame(ExecFrames.EOF, ""), true).join();
  }

  public void resize(int cols, int rows) {
    socket.sendBinary(ExecFrames.resize(cols, rows), true).join();
  }

  /** Drops the connection without a goodbye, as a killed client would. */
  public void abort() {
    socket.abort();
  }

  public synchronized String stdout() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  public synchronized String stderr() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  public JsonNode status(Duration timeout) throws Exception {
    return status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int closeCode(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    ByteBuffer frame = frames.add(data, last);
    if (frame != null) {
      int channel = ExecFrames.channel(frame);
      if (channel == ExecFrames.STDOUT) {
        stdout.writeBytes(ExecFrames.payload(frame));
      } else if (channel == ExecFrames.STDERR) {
        stderr.writeBytes(ExecFrames.payload(frame));
      } else if (channel == ExecFrames.STATUS) {
        status.complete(ExecFrames.json(frame));
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(statusCode);
    status.complete(null);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.completeExceptionally(error);
    status.completeExceptionally(error);
  }
}

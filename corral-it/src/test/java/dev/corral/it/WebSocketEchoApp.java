package dev.corral.it;

import io.javalin.Javalin;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny web app that ServiceProxyIT runs as a task: {@code /ws} echoes WebSocket messages ("echo:" before text,
 * binary as is; "close-me" makes the server close with 4001 "bye"; the code and reason of a client's close are
 * kept for {@code GET /last-close}); {@code /events} sends one server-sent event, waits until
 * {@code GET /release}, then sends a second. Usage: {@code java WebSocketEchoApp PORT}.
 */
public final class WebSocketEchoApp {
  private WebSocketEchoApp() {}

  public static void main(String[] args) {
    AtomicReference<String> lastClose = new AtomicReference<>("none");
    AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));
    Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      // takes the subprotocol "echo.v1" when a client offers it
      config.routes.wsBeforeUpgrade("/ws", ctx -> {
        String offered = ctx.header("Sec-WebSocket-Protocol");
        if (offered != null && java.util.Arrays.stream(offered.split(",")).map(String::trim).anyMatch("echo.v1"::equals)) {
          ctx.header("Sec-WebSocket-Protocol", "echo.v1");
        }
      });
      config.routes.ws("/ws", ws -> {
        ws.onConnect(ctx -> {
          ctx.session.setMaxTextMessageSize(1 << 20);
          ctx.send("hello " + ctx.queryString());
        });
        ws.onMessage(ctx -> {
          if (ctx.message().equals("close-me")) {
            ctx.closeSession(4001, "bye");
          } else {
            ctx.send("echo:" + ctx.message());
          }
        });
        ws.onBinaryMessage(ctx -> {
          java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(ctx.data().remaining());
          copy.put(ctx.data().duplicate()).flip();
          ctx.send(copy);
        });
        ws.onClose(ctx -> lastClose.set(ctx.status() + " " + ctx.reason()));
      });
      config.routes.get("/last-close", ctx -> ctx.result(lastClose.get()));
      config.routes.get("/release", ctx -> {
        release.get().countDown();
        ctx.result("released");
      });
      config.routes.get("/events", ctx -> {
        CountDownLatch latch = new CountDownLatch(1);
        release.set(latch);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        out.write("event: tick\ndata: one\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        latch.await(60, TimeUnit.SECONDS);
        out.write("event: tick\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      });
    }).start("127.0.0.1", Integer.parseInt(args[0]));
  }
}

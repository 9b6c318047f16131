package dev.corral.agent.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.agent.files.AgentRoutes;
import dev.corral.agent.tasks.TaskProcess;
import dev.corral.common.ExecFrames;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code corral task exec} on the agent: a WebSocket at {@code /exec/v1/tasks/{taskId}} (query: see
 * {@link ExecRequest}; frames: see {@link ExecFrames}) that runs a command inside a running task.
 *
 * <p>Everything that can be refused is refused before the upgrade, as plain HTTP with
 * {@code {"message": …}}: 400 a bad query, 404 an unknown task, 409 a task that is not running, 503 more than
 * {@value #MAX_SESSIONS} sessions at once. What fails after it (the command cannot start) is a STATUS frame
 * with {@code error}. A command ends with its connection: closing the connection kills it.
 *
 * <p>Threading: upgrades and incoming frames run on Jetty's threads (a task lookup is one hop to the agent's
 * loop); each session's output and exit run on this API's own threads, at most three per session.
 */
public final class ExecApi implements AgentRoutes {
  public static final String PATH = "/exec/v1/tasks/{taskId}";
  static final int MAX_SESSIONS = 32;
  private static final Logger log = LoggerFactory.getLogger(ExecApi.class);
  private static final long LOOKUP_SECONDS = 5;
  private static final long SEND_SECONDS = 30;
  private static final long PING_SECONDS = 15;
  private static final String PREPARED = "corral.exec.prepared";

  private final ExecTasks tasks;
  private final ExecLauncher launcher;
  private final Semaphore slots = new Semaphore(MAX_SESSIONS);
  private final Map<String, ExecSession> sessions = new ConcurrentHashMap<>();
  private final ExecutorService threads;

  public ExecApi(ExecTasks tasks, ExecLauncher launcher) {
    this.tasks = tasks;
    this.launcher = launcher;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "agent-exec-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void install(JavalinConfig config) {
    config.routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
    config.routes.ws(PATH, ws -> {
      ws.onConnect(this::connect);
      ws.onBinaryMessage(ctx -> {
        ExecSession s = sessions.get(ctx.sessionId());
        if (s != null) {
          s.onFrame(ctx.data());
        }
      });
      ws.onClose(ctx -> clientGone(ctx));
      ws.onError(ctx -> clientGone(ctx));
    });
    config.routes.exception(ExecException.class, (e, ctx) -> refuse(ctx, e.status(), e.getMessage()));
  }

  /**
   * Answers a refused upgrade as {@code {"message": …}}. Written straight to the response: Javalin drops the
   * result of an exception handler that runs before an upgrade.
   */
  public static void refuse(Context ctx, int status, String message) {
    ObjectNode body = dev.corral.common.Json.mapper().createObjectNode().put("message", message);
    byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      ctx.res().setStatus(status);
      ctx.res().setContentType("application/json; charset=utf-8");
      ctx.res().setContentLength(bytes.length);
      ctx.res().getOutputStream().write(bytes);
      ctx.res().flushBuffer();
    } catch (IOException e) {
      log.debug("refusal not delivered: {}", e.toString()); // the client went away
    }
  }

  /** Every check that can answer plain HTTP; the command to run travels to {@link #connect}. */
  private void beforeUpgrade(Context ctx) throws ExecException {
    ExecRequest request = ExecRequest.parse(ctx::queryParams);
    if (slots.availablePermits() == 0) {
      throw new ExecException(503, "too many exec sessions on this agent (" + MAX_SESSIONS + "); try again later");
    }
    String taskId = ctx.pathParam("taskId");
    TaskProcess task = find(taskId).orElseThrow(() -> new ExecException(404, "task '" + taskId
        + "' is unknown to this agent: it never ran here, or it ended and was forgotten"));
    if (!task.running()) {
      throw new ExecException(409, "task '" + taskId + "' is not running (it is starting, being killed or has "
          + "ended); exec needs a running task");
    }
    ExecCommand command = launcher.prepare(task, request.command(), request.tty(), request.term());
    ctx.attribute(PREPARED, new Prepared(taskId, request, command));
  }

  private void connect(WsConnectContext ctx) {
    Prepared p = ctx.attribute(PREPARED);
    ExecSession.Sink sink = sink(ctx);
    if (p == null || !slots.tryAcquire()) {
      refuse(ctx, sink, p == null ? "the upgrade lost its command" : "too many exec sessions on this agent ("
          + MAX_SESSIONS + "); try again later");
      return;
    }
    ExecProcess process;
    try {
      process = p.request().tty()
          ? ExecProcess.onTerminal(p.command(), p.request().cols(), p.request().rows())
          : ExecProcess.onPipes(p.command());
    } catch (IOException | RuntimeException e) {
      slots.release();
      refuse(ctx, sink, "cannot start " + p.request().command() + " in task " + p.taskId() + ": " + e.getMessage());
      return;
    }
    log.info("exec in {}: pid {} runs {}{}", p.taskId(), process.pid(), p.request().command(),
        p.request().tty() ? " on a terminal" : "");
    ExecSession session = new ExecSession(p.taskId(), process, sink);
    sessions.put(ctx.sessionId(), session);
    ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS); // keeps an idle shell's connection open
    session.start(threads, p.request().stdin(), () -> {
      sessions.remove(ctx.sessionId());
      slots.release();
    });
  }

  private static void refuse(WsContext ctx, ExecSession.Sink sink, String message) {
    try {
      sink.send(ExecFrames.error(message));
    } catch (IOException e) {
      log.debug("exec refusal not delivered: {}", e.toString());
    }
    sink.close("refused");
  }

  private void clientGone(WsContext ctx) {
    ExecSession s = sessions.get(ctx.sessionId());
    if (s != null) {
      s.onClientGone();
    }
  }

  private Optional<TaskProcess> find(String taskId) throws ExecException {
    try {
      return tasks.find(taskId).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExecException(503, "interrupted while looking up task " + taskId);
    } catch (ExecutionException | TimeoutException e) {
      throw new ExecException(503, "the agent is busy or stopping; try again (" + e + ")");
    }
  }

  /** Blocking sends with back-pressure: a slow client slows the command's output, never the agent's memory. */
  private static ExecSession.Sink sink(WsContext ctx) {
    return new ExecSession.Sink() {
      @Override
      public void send(ByteBuffer frame) throws IOException {
        Callback.Completable done = new Callback.Completable();
        ctx.session.sendBinary(frame, done);
        try {
          done.get(SEND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while sending", e);
        } catch (ExecutionException | TimeoutException e) {
          throw new IOException("the client is gone or stalled: " + e.getMessage(), e);
        }
      }

      @Override
      public void close(String reason) {
        ctx.closeSession(1000, reason);
      }
    };
  }

  /** Kills every running command (the agent is stopping). */
  @Override
  public void close() {
    sessions.values().forEach(ExecSession::kill);
    threads.shutdownNow();
  }

  private record Prepared(String taskId, ExecRequest request, ExecCommand command) {}
}

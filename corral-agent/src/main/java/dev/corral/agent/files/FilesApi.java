package dev.corral.agent.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API over task sandboxes and logs:
 * <ul>
 *   <li>{@code GET /files/v1/tasks/{taskId}/browse?path=REL}: a JSON list of {@link FileEntry};
 *   <li>{@code GET /files/v1/tasks/{taskId}/read?path=REL&offset=N&length=N}: {@code {data, offset}} as Mesos'
 *       {@code /files/read}; offset -1 answers the size;
 *   <li>{@code GET /files/v1/tasks/{taskId}/download?path=REL}: the file's bytes;
 *   <li>{@code GET /logs/v1/tasks/{taskId}/{stdout|stderr}?lines=N[&follow=true]}: the last N lines (default
 *       10) as text, or with {@code follow} as server-sent events (see {@link LogFollower});
 *   <li>{@code GET /logs/v1/agent?lines=N[&follow=true]}: the agent's own log, when it writes one.
 * </ul>
 * Errors are {@code {"message": …}} with 400 (a bad path or parameter), 404 (no such task or file) or 503
 * (too many followers). Paths are confined to the sandbox ({@link Sandboxes}).
 *
 * <p>Threading: plain requests run on Jetty's threads (short file reads). Each follower runs on a thread of a
 * bounded pool ({@value #MAX_FOLLOWERS} at once), so long streams never hold Jetty's threads.
 */
public final class FilesApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FilesApi.class);
  static final int MAX_FOLLOWERS = 64;
  private static final int DEFAULT_LINES = 10;
  private static final int MAX_LINES = 100_000;
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final Sandboxes sandboxes;
  private final TaskLookup tasks;
  private final Supplier<String> agentId;
  private final Path agentLog;
  private final Rotations rotations;
  private final ThreadPoolExecutor followers;

  /**
   * @param rotations the rotator's, so that followers read in step with rotations
   * @param agentLog the agent's own log file, or null
   */
  public FilesApi(Sandboxes sandboxes, TaskLookup tasks, Rotations rotations, Supplier<String> agentId,
      Path agentLog) {
    this.sandboxes = sandboxes;
    this.rotations = rotations;
    this.tasks = tasks;
    this.agentId = agentId;
    this.agentLog = agentLog;
    AtomicInteger n = new AtomicInteger();
    this.followers = new ThreadPoolExecutor(0, MAX_FOLLOWERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "agent-log-follow-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Adds the routes; touches no other setting. */
  public void install(JavalinConfig config) {
    RoutesConfig routes = config.routes;
    routes.get("/files/v1/tasks/{taskId}/browse", this::browse);
    routes.get("/files/v1/tasks/{taskId}/read", this::read);
    routes.get("/files/v1/tasks/{taskId}/download", this::download);
    routes.get("/logs/v1/tasks/{taskId}/{file}", this::taskLog);
    routes.get("/logs/v1/agent", this::agentLog);
    routes.exception(FilesException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
  }

  private void browse(Context ctx) {
    Path sandbox = sandboxes.sandbox(ctx.pathParam("taskId"));
    Path target = Sandboxes.confine(sandbox, ctx.queryParam("path"));
    json(ctx, Json.mapper().valueToTree(FileBrowser.browse(sandbox, target)));
  }

  private void read(Context ctx) {
    Path sandbox = sandboxes.sandbox(ctx.pathParam("taskId"));
    Path target = Sandboxes.confine(sandbox, ctx.queryParam("path"));
    FileBrowser.Chunk chunk = FileBrowser.read(target, longParam(ctx, "offset", 0), longParam(ctx, "length", -1));
    json(ctx, Json.mapper().createObjectNode().put("data", chunk.data()).put("offset", chunk.offset()));
  }

  private void download(Context ctx) throws IOException {
    Path sandbox = sandboxes.sandbox(ctx.pathParam("taskId"));
    Path target = Sandboxes.confine(sandbox, ctx.queryParam("path"));
    if (Files.isDirectory(target)) {
      throw FilesException.badRequest("'" + sandbox.relativize(target) + "' is a directory; browse it instead");
    }
    HttpServletResponse res = ctx.res();
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ);
         InputStream in = Channels.newInputStream(ch)) {
      long size = ch.size();
      res.setStatus(200);
      res.setContentType("application/octet-stream");
      res.setHeader("Content-Disposition", "attachment; filename=\"" + target.getFileName().toString()
          .replace("\"", "") + "\"");
      res.setContentLengthLong(size);
      ServletOutputStream out = res.getOutputStream();
      // at most the size announced: a log that grows meanwhile must not break the Content-Length
      in.transferTo(new BoundedOutput(out, size));
      out.flush();
    }
  }

  private void taskLog(Context ctx) throws IOException {
    String taskId = ctx.pathParam("taskId");
    String name = ctx.pathParam("file");
    if (!LogRotator.STREAMS.contains(name)) {
      throw FilesException.badRequest("a task's logs are 'stdout' and 'stderr', not '" + name + "'");
    }
    Path sandbox = sandboxes.sandbox(taskId);
    serveLog(ctx, sandbox.resolve(name), name, taskId);
  }

  private void agentLog(Context ctx) throws IOException {
    if (agentLog == null) {
      throw FilesException.notFound("this agent writes no log file; its log goes to its standard output");
    }
    serveLog(ctx, agentLog, "agent", null);
  }

  private void serveLog(Context ctx, Path file, String name, String taskId) throws IOException {
    int lines = (int) Math.min(MAX_LINES, Math.max(0, longParam(ctx, "lines", DEFAULT_LINES)));
    long start = LogTail.startOfLastLines(file, lines);
    String follow = ctx.queryParam("follow");
    if (!"true".equals(follow) && !"1".equals(follow)) {
      // a task that has not written yet has no file: it reads as empty
      String text = Files.exists(file) ? FileBrowser.read(file, start, FileBrowser.MAX_READ).data() : "";
      ctx.contentType("text/plain; charset=utf-8").result(text);
      return;
    }
    HttpServletResponse res = ctx.res();
    CompletableFuture<Void> stream;
    try {
      stream = CompletableFuture.runAsync(() -> follow(res, file, name, taskId, start), followers);
    } catch (RejectedExecutionException e) {
      throw new FilesException(503, "too many log streams on this agent (" + MAX_FOLLOWERS + "); try again later");
    }
    ctx.future(() -> stream);
  }

  private void follow(HttpServletResponse res, Path file, String name, String taskId, long start) {
    try {
      TaskFacts facts = taskId == null ? new TaskFacts("", "", "", true) : facts(taskId);
      ObjectNode meta = Json.mapper().createObjectNode()
          .put("agentId", agentId.get() == null ? "" : agentId.get())
          .put("taskId", facts.taskId())
          .put("frameworkId", facts.frameworkId())
          .put("appId", facts.appId())
          .put("file", name);
      res.setStatus(200);
      res.setContentType("text/event-stream; charset=utf-8");
      res.setHeader("Cache-Control", "no-cache");
      res.setHeader("X-Accel-Buffering", "no"); // tells nginx-like proxies in front not to buffer the stream
      LogFollower follower = new LogFollower(file, rotations, () -> taskId == null || facts(taskId).live(), POLL, HEARTBEAT);
      follower.run(res.getOutputStream(), Json.mapper().writeValueAsString(meta), start);
    } catch (IOException e) {
      log.debug("log stream of {} ended: {}", file, e.toString()); // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The task's facts, or those of an ended task when the agent forgot it; a slow loop counts as live. */
  private TaskFacts facts(String taskId) {
    try {
      Optional<TaskFacts> f = tasks.find(taskId).get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return f.orElse(TaskFacts.ended(taskId));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TaskFacts.ended(taskId);
    } catch (Exception e) {
      return new TaskFacts(taskId, "", "", true);
    }
  }

  private static long longParam(Context ctx, String name, long fallback) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw FilesException.badRequest(name + " must be a whole number, got '" + raw + "'");
    }
  }

  private static void json(Context ctx, com.fasterxml.jackson.databind.JsonNode body) {
    try {
      ctx.contentType("application/json; charset=utf-8").result(Json.mapper().writeValueAsString(body));
    } catch (IOException e) {
      throw new FilesException(500, e.getMessage());
    }
  }

  static void error(Context ctx, int status, String message) {
    ObjectNode body = Json.mapper().createObjectNode().put("message", message);
    ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
  }

  @Override
  public void close() {
    followers.shutdownNow();
  }

  /** Passes at most {@code limit} bytes through. */
  private static final class BoundedOutput extends java.io.OutputStream {
    private final java.io.OutputStream out;
    private long left;

    BoundedOutput(java.io.OutputStream out, long limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      if (left > 0) {
        out.write(b);
        left--;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, left);
      if (n > 0) {
        out.write(b, off, n);
        left -= n;
      }
    }
  }
}

package dev.corral.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.ExecFrames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec: couples a running {@link ExecProcess} to the client's connection in {@link ExecFrames}. Output
 * is read on blocking threads (a PTY's {@code available()} is always 0, so there is nothing to poll), one
 * per stream, and sent in order; when the command exits, the rest of its output goes out, then the STATUS
 * frame with the exit code, then the connection closes. When the client goes away first, the command is
 * killed.
 *
 * <p>Threading: {@link #onFrame} runs on the connection's thread (one message at a time); the pumps and the
 * waiter run on {@code threads}. {@code onEnd} runs once, on the waiter, after the process is gone.
 */
public final class ExecSession {
  /** The client's side of the connection. */
  public interface Sink {
    /** Sends one frame, blocking until it is written; throws when the client is gone. */
    void send(ByteBuffer frame) throws IOException;

    /** Closes the connection normally (1000). */
    void close(String reason);
  }

  private static final Logger log = LoggerFactory.getLogger(ExecSession.class);
  private static final int BUFFER = 8192;
  /** How long output may still trail the exit: a background child can hold the streams open forever. */
  private static final long DRAIN_MILLIS = 2000;

  private final String taskId;
  private final ExecProcess process;
  private final Sink sink;
  private final AtomicBoolean clientGone = new AtomicBoolean();
  private final Object sendLock = new Object();

  public ExecSession(String taskId, ExecProcess process, Sink sink) {
    this.taskId = taskId;
    this.process = process;
    this.sink = sink;
  }

  /** Starts pumping; {@code withStdin=false} ends the command's input at once. */
  public void start(Executor threads, boolean withStdin, Runnable onEnd) {
    if (!withStdin) {
      try {
        process.endInput();
      } catch (IOException e) {
        log.debug("exec in {}: cannot end stdin: {}", taskId, e.toString());
      }
    }
    InputStream err = process.stderr();
    CountDownLatch drained = new CountDownLatch(err == null ? 1 : 2);
    threads.execute(() -> pump(process.stdout(), ExecFrames.STDOUT, drained));
    if (err != null) {
      threads.execute(() -> pump(err, ExecFrames.STDERR, drained));
    }
    threads.execute(() -> awaitExit(drained, onEnd));
  }

  /** A frame from the client: stdin, a resize, or the end of stdin; anything else is ignored. */
  public void onFrame(ByteBuffer frame) {
    int channel = ExecFrames.channel(frame);
    try {
      if (channel == ExecFrames.STDIN) {
        process.stdin().write(ExecFrames.payload(frame));
        process.stdin().flush();
      } else if (channel == ExecFrames.RESIZE) {
        JsonNode size = ExecFrames.json(frame);
        process.resize(size.path("cols").asInt(0), size.path("rows").asInt(0));
      } else if (channel == ExecFrames.EOF) {
        process.endInput();
      }
    } catch (IOException | RuntimeException e) {
      // the command closed its stdin or exited; its exit reaches the client as usual
      log.debug("exec in {}: frame on channel {} dropped: {}", taskId, channel, e.toString());
    }
  }

  /** The client closed the connection or it broke: the command must not outlive it. */
  public void onClientGone() {
    if (clientGone.compareAndSet(false, true) && process.alive()) {
      log.info("exec in {}: client gone, killing pid {}", taskId, process.pid());
      process.kill();
    }
  }

  /** Kills the command (agent shutdown). */
  public void kill() {
    process.kill();
  }

  private void pump(InputStream in, byte channel, CountDownLatch drained) {
    byte[] buf = new byte[BUFFER];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n > 0) {
          send(ExecFrames.frame(channel, buf, 0, n));
        }
      }
    } catch (IOException e) {
      // EOF of a terminal reads as EIO; a failed send means the client is gone (handled by send)
    } finally {
      drained.countDown();
    }
  }

  private void awaitExit(CountDownLatch drained, Runnable onEnd) {
    try {
      int code = process.waitFor();
      if (!drained.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
        log.debug("exec in {}: output still open after the exit; sending the status", taskId);
      }
      send(ExecFrames.exit(code));
      log.debug("exec in {}: pid {} exited with {}", taskId, process.pid(), code);
      if (!clientGone.get()) {
        sink.close("exited with " + code);
      }
    } catch (InterruptedException e) {
      process.kill(); // the agent is stopping
      Thread.currentThread().interrupt();
    } finally {
      onEnd.run();
    }
  }

  /** One frame at a time, in order; a failure means the client is gone. */
  private void send(ByteBuffer frame) {
    if (clientGone.get()) {
      return;
    }
    synchronized (sendLock) {
      try {
        sink.send(frame);
      } catch (IOException | RuntimeException e) {
        onClientGone();
      }
    }
  }
}

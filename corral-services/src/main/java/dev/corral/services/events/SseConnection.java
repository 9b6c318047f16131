package dev.corral.services.events;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client's event stream, written to an asynchronous servlet response with non-blocking I/O: no thread
 * ever waits for a client. A drain pulls from the {@link Subscription} and writes while the response can take
 * more; when it cannot, the container calls {@link #onWritePossible} later, and when the subscription is
 * empty the drain stops until {@link #wake} (new events, or a heartbeat) starts one on the executor.
 *
 * <p>At most one drain runs at a time ({@code running}); a wake that arrives while one runs makes it look
 * again before it stops ({@code again}), so no wake is lost. The stream ends (once) when the subscription
 * ends (overflow: after its notice is flushed), when a write fails (the client went away, or the server's
 * idle timeout fired on a client that stopped reading), or when the request ends; {@link #done} then
 * completes, which completes the response.
 */
final class SseConnection implements WriteListener, AsyncListener {
  /** Events taken per poll. */
  private static final int POLL_BATCH = 256;
  /** Bytes gathered into one write. */
  private static final int CHUNK = 64 * 1024;

  private final Executor drains;
  private final ScheduledExecutorService timer;
  private final Duration heartbeat;
  private final Runnable onEnd;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Object lock = new Object();
  private volatile Subscription subscription;
  private volatile ServletOutputStream out;
  // Guarded by lock. Running from the start: the container's first onWritePossible is the first drain.
  private boolean running = true;
  private boolean again;
  private boolean heartbeatDue;
  private boolean finished;
  private ScheduledFuture<?> heartbeats;
  // Confined to the drain (one at a time).
  private boolean flushNeeded = true; // the first flush sends the headers at once, before any event
  private boolean lastWritten;

  /**
   * @param drains runs the drains that wakes start
   * @param timer runs the heartbeats
   * @param heartbeat how often to send a heartbeat comment
   * @param onEnd runs once when the stream ends, on the thread that ends it (never the event loop)
   */
  SseConnection(Executor drains, ScheduledExecutorService timer, Duration heartbeat, Runnable onEnd) {
    this.drains = drains;
    this.timer = timer;
    this.heartbeat = heartbeat;
    this.onEnd = onEnd;
  }

  /** Set once, before {@link #start}. */
  void subscribe(Subscription s) {
    this.subscription = s;
  }

  /** Starts writing to the (asynchronous) response, and the heartbeats. */
  void start(ServletOutputStream output) {
    this.out = output;
    long period = heartbeat.toMillis();
    synchronized (lock) {
      if (!finished) {
        heartbeats = timer.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
      }
    }
    output.setWriteListener(this);
  }

  /** Completes when the stream has ended. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** Events may be available: drain on the executor unless a drain runs. Cheap; called by the publisher. */
  void wake() {
    synchronized (lock) {
      if (finished) {
        return;
      }
      if (running) {
        again = true;
        return;
      }
      running = true;
    }
    try {
      drains.execute(this::drain);
    } catch (RejectedExecutionException e) {
      finish();
    }
  }

  /** Sends a comment line soon, so that proxies keep the connection and a dead client is noticed. */
  void heartbeat() {
    synchronized (lock) {
      heartbeatDue = true;
    }
    wake();
  }

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable t) {
    finish();
  }

  private void drain() {
    try {
      while (true) {
        if (!out.isReady()) {
          return; // the container calls onWritePossible when it can take more; `running` stays set
        }
        byte[] chunk = lastWritten ? null : nextChunk();
        if (chunk != null) {
          out.write(chunk);
          flushNeeded = true;
          continue;
        }
        if (flushNeeded) {
          flushNeeded = false;
          out.flush();
          continue;
        }
        if (lastWritten) {
          finish(); // the final notice is flushed
          return;
        }
        synchronized (lock) {
          if (finished || !again) {
            running = false;
            return;
          }
          again = false;
        }
      }
    } catch (IOException | RuntimeException e) {
      finish();
    }
  }

  /** The next bytes to write: a heartbeat and/or frames; null when there is nothing. */
  private byte[] nextChunk() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    boolean heartbeat;
    synchronized (lock) {
      heartbeat = heartbeatDue;
      heartbeatDue = false;
    }
    if (heartbeat) {
      buf.writeBytes(SseFrames.HEARTBEAT);
    }
    while (buf.size() < CHUNK) {
      Subscription.Delivery d = subscription.poll(POLL_BATCH);
      for (Event e : d.events()) {
        SseFrames.append(buf, e);
      }
      if (d.end()) {
        lastWritten = true;
        break;
      }
      if (d.events().isEmpty()) {
        break;
      }
    }
    return buf.size() == 0 ? null : buf.toByteArray();
  }

  /** Ends the stream; idempotent. */
  void finish() {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      if (heartbeats != null) {
        heartbeats.cancel(false);
      }
    }
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
    try {
      onEnd.run();
    } finally {
      done.complete(null);
    }
  }

  // ---------------------------------------------------------------- AsyncListener: the request ended

  @Override
  public void onComplete(AsyncEvent event) {
    finish();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    finish();
  }

  @Override
  public void onError(AsyncEvent event) {
    finish();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // not used: the stream never re-enters asynchronous mode
  }
}

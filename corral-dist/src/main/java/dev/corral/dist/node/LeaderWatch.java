package dev.corral.dist.node;

import dev.corral.api.leader.LeaderInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's watch on the leading master's process, so that a crashed leader is replaced at once rather
 * than after ZooKeeper expires its session (10 s by default).
 *
 * <p>The watch holds a TCP connection to the leader's gRPC port, which the leader opens before it publishes
 * its record and closes only when its term ends. When that connection ends, the watch connects again: if
 * the leader's host refuses twice in a row, nothing listens there any more, so the leader's process has
 * exited (or its term has ended) and {@code dead} is called. A connection that times out proves nothing (the
 * host may be cut off, not dead): the session timeout decides then, as before. A frozen process still has its
 * connections accepted by the kernel, so it too is left to the session timeout.
 *
 * <p>No bytes are sent; the server closes such a connection after its handshake timeout, and the watch
 * simply connects again. One daemon thread; {@link #leaderChanged} re-targets it.
 */
final class LeaderWatch implements AutoCloseable {
  /** The leader to watch: its record and the ZooKeeper session that published it. */
  record Target(LeaderInfo leader, long session) {}

  private static final Logger log = LoggerFactory.getLogger(LeaderWatch.class);
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  /** Between the refusals that prove death, and the least time between two connections. */
  private static final long RETRY_MS = 100;
  /** After a connection that timed out, or a removal that did not take. */
  private static final long BACKOFF_MS = 1_000;

  private final Supplier<Optional<Target>> leader;
  private final Consumer<Target> dead;
  private final Thread thread;
  private final Object changed = new Object();
  private volatile Socket current;
  private volatile boolean closed;

  /**
   * @param leader the leader to watch now; empty while there is none or this master leads
   * @param dead called, on the watch's thread, with a leader whose process is gone
   */
  LeaderWatch(Supplier<Optional<Target>> leader, Consumer<Target> dead) {
    this.leader = leader;
    this.dead = dead;
    this.thread = new Thread(this::run, "leader-watch");
    thread.setDaemon(true);
  }

  LeaderWatch start() {
    thread.start();
    return this;
  }

  /** The leader record changed: stop watching the former one and look again. */
  void leaderChanged() {
    synchronized (changed) {
      changed.notifyAll();
    }
    closeCurrent();
  }

  private void run() {
    Target refusedBy = null;
    while (!closed) {
      Optional<Target> target = leader.get();
      if (target.isEmpty()) {
        refusedBy = null;
        pause(BACKOFF_MS);
        continue;
      }
      Target t = target.get();
      long began = System.nanoTime();
      switch (hold(t)) {
        case ENDED -> {
          refusedBy = null;
          pause(Math.max(0, RETRY_MS - (System.nanoTime() - began) / 1_000_000));
        }
        case REFUSED -> {
          if (t.equals(refusedBy)) {
            log.warn("the leading master refuses connections on {}: its process is gone (or its term ended);"
                + " taking it out of the election now", t.leader().grpc());
            dead.accept(t);
            refusedBy = null;
            pause(BACKOFF_MS);
          } else {
            refusedBy = t;
            pause(RETRY_MS);
          }
        }
        case UNREACHABLE -> {
          refusedBy = null;
          pause(BACKOFF_MS);
        }
      }
    }
  }

  private enum Outcome { ENDED, REFUSED, UNREACHABLE }

  /** Connects to the leader and waits until that connection ends. */
  private Outcome hold(Target t) {
    Socket socket = new Socket();
    current = socket;
    try {
      if (closed || !leader.get().equals(Optional.of(t))) {
        return Outcome.ENDED; // re-targeted before this connection could be closed for it
      }
      try {
        socket.connect(t.leader().grpcAddress(), CONNECT_TIMEOUT_MS);
      } catch (ConnectException e) {
        // With a connect timeout given, a timeout is reported separately (SocketTimeoutException).
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("refused") ? Outcome.REFUSED : Outcome.UNREACHABLE;
      } catch (IOException | RuntimeException e) {
        // Timed out, unreachable, a name that does not resolve (yet), or closed by leaderChanged.
        return socket.isClosed() ? Outcome.ENDED : Outcome.UNREACHABLE;
      }
      if (socket.getLocalSocketAddress().equals(socket.getRemoteSocketAddress())) {
        // TCP's simultaneous open: a connection to a port nothing listens on, from the same host, can pick
        // that very port as its own and connect to itself. It would never end.
        return Outcome.REFUSED;
      }
      try {
        InputStream in = socket.getInputStream();
        byte[] discard = new byte[512];
        while (in.read(discard) >= 0) {
          // the server's greeting; nothing to do with it
        }
      } catch (IOException e) {
        // reset, or closed by leaderChanged
      }
      return Outcome.ENDED;
    } finally {
      current = null;
      try {
        socket.close();
      } catch (IOException e) {
        // nothing was written
      }
    }
  }

  private void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    synchronized (changed) {
      try {
        changed.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  private void closeCurrent() {
    Socket s = current;
    current = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing only to wake the watch
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    leaderChanged();
    thread.interrupt();
  }
}

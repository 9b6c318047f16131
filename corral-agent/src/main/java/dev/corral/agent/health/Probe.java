package dev.corral.agent.health;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/** One thing to try against a task, with its time limit. Immutable values. */
public sealed interface Probe {
  Duration timeout();

  /**
   * An HTTP(S) GET. With {@code readyStatuses} empty, 2xx and 3xx pass (a health check); otherwise exactly
   * those statuses pass (a readiness check). A 1xx answer is ignored with {@code ignore1xx}, else it fails.
   */
  record Http(URI uri, Duration timeout, boolean ignore1xx, Set<Integer> readyStatuses) implements Probe {
    public Http {
      readyStatuses = Set.copyOf(readyStatuses);
    }
  }

  /** A TCP connection that is accepted passes. */
  record Tcp(InetSocketAddress address, Duration timeout) implements Probe {}

  /**
   * A command that exits 0 passes; one still running at the timeout is killed with its children and fails.
   * The process is built only when the probe starts, off the caller's thread (it may read user databases).
   */
  record Command(String command, Supplier<ProcessBuilder> process, Duration timeout) implements Probe {}
}

package dev.corral.agent.master;

import java.time.Duration;

/**
 * Exponential reconnect delays: 100 ms, 200 ms, ... up to 5 s, back to the start after a successful
 * registration. Not thread-safe; owned by the event loop.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /** The delay to wait now; doubles the following one. */
  public Duration next() {
    Duration now = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return now;
  }

  public void reset() {
    next = initial;
  }
}

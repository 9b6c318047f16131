package dev.corral.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: each key (a uid, a remote address) has a bucket of {@code burst} failed
 * attempts that refills one every {@code refill}; with the bucket empty a login is refused before the
 * password is even checked, with how long to wait. Successful logins cost nothing.
 * Thread-safe (per-key atomic updates of immutable buckets).
 */
public final class LoginLimiter {
  private record Bucket(double tokens, Instant at) {}

  private static final int MAX_KEYS = 100_000;

  private final int burst;
  private final Duration refill;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public LoginLimiter(int burst, Duration refill, Clock clock) {
    this.burst = burst;
    this.refill = refill;
    this.clock = clock;
  }

  /** Five failures at once, then one every twelve seconds (five a minute). */
  public static LoginLimiter standard(Clock clock) {
    return new LoginLimiter(5, Duration.ofSeconds(12), clock);
  }

  /** Empty when an attempt for every key may go ahead; otherwise how long until one may. */
  public Optional<Duration> retryAfter(String... keys) {
    Instant now = clock.instant();
    Duration wait = Duration.ZERO;
    for (String key : keys) {
      Bucket b = buckets.get(key);
      if (b == null) {
        continue;
      }
      double tokens = refilled(b, now);
      if (tokens < 1) {
        Duration w = Duration.ofMillis((long) Math.ceil((1 - tokens) * refill.toMillis()));
        wait = w.compareTo(wait) > 0 ? w : wait;
      }
    }
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  /** Takes one attempt from each key's bucket. */
  public void failed(String... keys) {
    Instant now = clock.instant();
    if (buckets.size() > MAX_KEYS) {
      buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= burst);
    }
    for (String key : keys) {
      buckets.compute(key, (k, b) -> new Bucket((b == null ? burst : refilled(b, now)) - 1, now));
    }
  }

  /** A successful login forgets the failures of {@code key} (the uid; not the address). */
  public void succeeded(String key) {
    buckets.remove(key);
  }

  private double refilled(Bucket b, Instant now) {
    double gained = (double) Duration.between(b.at(), now).toMillis() / refill.toMillis();
    return Math.min(burst, b.tokens() + Math.max(0, gained));
  }
}

package dev.corral.services.instance;

import dev.corral.services.app.AppDefinition;
import java.time.Duration;
import java.time.Instant;

/**
 * The launch backoff of one app, so that a crashing app does not fill agents' disks with sandboxes.
 *
 * <p>The rule: after the n-th consecutive failure the app's waiting instances are not launched for
 * {@code backoffSeconds × backoffFactor^(n−1)} seconds, capped at {@code maxLaunchDelaySeconds}. The count
 * resets to zero when the app definition changes (any API update), and a task that had been RUNNING for longer
 * than the current delay plus {@link #STABLE_MARGIN} proves the app can run: its end starts a fresh count
 * (it is failure number one). A task that never reached RUNNING always counts.
 *
 * <p>Soft state: kept in memory only; a restart of the scheduler starts every app without delay, as a
 * Marathon failover does. Immutable.
 */
public record Backoff(int failures, Duration delay, Instant until) {
  public static final Backoff NONE = new Backoff(0, Duration.ZERO, Instant.EPOCH);
  public static final Duration STABLE_MARGIN = Duration.ofSeconds(30);

  /**
   * The backoff after one more failure at {@code now}.
   *
   * @param ranFor how long the failed task had been RUNNING; null when it never was
   */
  public Backoff afterFailure(AppDefinition app, Instant now, Duration ranFor) {
    boolean proved = ranFor != null && ranFor.compareTo(delay.plus(STABLE_MARGIN)) > 0;
    int n = proved ? 1 : failures + 1;
    Duration d = delayFor(app, n);
    return new Backoff(n, d, now.plus(d));
  }

  /** {@code backoffSeconds × backoffFactor^(failures−1)}, capped at {@code maxLaunchDelaySeconds}. */
  public static Duration delayFor(AppDefinition app, int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    double seconds = app.backoffSeconds() * Math.pow(app.backoffFactor(), failures - 1);
    seconds = Math.min(seconds, app.maxLaunchDelaySeconds());
    if (Double.isNaN(seconds) || seconds < 0) {
      seconds = 0;
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  public boolean delayed(Instant now) {
    return now.isBefore(until);
  }

  public Duration timeLeft(Instant now) {
    return delayed(now) ? Duration.between(now, until) : Duration.ZERO;
  }
}

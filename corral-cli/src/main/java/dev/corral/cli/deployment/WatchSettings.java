package dev.corral.cli.deployment;

import java.time.Duration;
import java.util.Objects;

/**
 * How deployments are followed, fixed once per command line.
 *
 * @param terminal whether stdout is a terminal: progress is then one line rewritten in place, otherwise one
 *     plain line per change (logs, pipes, CI)
 * @param sleeper waits between polls of {@code /v2/deployments}
 * @param pollInterval the pause between polls when the server has no event stream
 * @param recheckInterval how long the event stream may stay quiet before the deployment list is checked (a
 *     server that streams events but not deployment events must not leave the watch hanging)
 */
public record WatchSettings(boolean terminal, Sleeper sleeper, Duration pollInterval, Duration recheckInterval) {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(5);

  public WatchSettings {
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(recheckInterval, "recheckInterval");
  }

  /** Real waits; {@code terminal} says whether stdout is a terminal. */
  public static WatchSettings of(boolean terminal) {
    return new WatchSettings(terminal, Sleeper.REAL, POLL_INTERVAL, RECHECK_INTERVAL);
  }
}

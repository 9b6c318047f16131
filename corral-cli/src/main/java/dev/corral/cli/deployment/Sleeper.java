package dev.corral.cli.deployment;

import java.time.Duration;

/** Waits between polls; injected so that tests run the polling loop without waiting. */
@FunctionalInterface
public interface Sleeper {
  /** Really waits. */
  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}

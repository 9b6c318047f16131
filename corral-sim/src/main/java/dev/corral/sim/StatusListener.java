package dev.corral.sim;

import dev.corral.api.v1.TaskStatus;

/**
 * Hears what the simulated agents report, e.g. to count tasks running without polling an API. Called on
 * the agents' shard threads, several at once: implementations must be thread-safe and quick.
 */
public interface StatusListener {
  /** An update that must be acknowledged went out for the first time (resends are not reported). */
  default void sent(TaskStatus status) {}

  /** The master forwarded the scheduler's acknowledgement of an update: the scheduler has it for good. */
  default void acknowledged(TaskStatus status) {}
}

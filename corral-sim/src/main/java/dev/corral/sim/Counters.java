package dev.corral.sim;

import java.util.concurrent.atomic.LongAdder;

/** The fleet's counters, bumped by every shard thread. Thread-safe. */
final class Counters {
  final LongAdder connects = new LongAdder();
  final LongAdder registered = new LongAdder();
  final LongAdder registrations = new LongAdder();
  final LongAdder tasks = new LongAdder();
  final LongAdder launched = new LongAdder();
  final LongAdder running = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder killed = new LongAdder();
  final LongAdder acknowledged = new LongAdder();
  final LongAdder resent = new LongAdder();
  final LongAdder disconnects = new LongAdder();

  FleetStats snapshot(int agents) {
    return new FleetStats(agents, connects.sum(), registered.sum(), registrations.sum(), tasks.sum(),
        launched.sum(), running.sum(), failed.sum(), killed.sum(), acknowledged.sum(), resent.sum(),
        disconnects.sum());
  }
}

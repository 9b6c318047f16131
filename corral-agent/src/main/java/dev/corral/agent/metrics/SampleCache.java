package dev.corral.agent.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps each sample for a short while, so that dashboards, scrapers and CLIs polling at once read the files
 * once. Expired entries are dropped on the next write, so ended containers do not pile up. Thread-safe
 * (synchronized; sampling is cheap file reads, so holding the lock through it is fine).
 */
final class SampleCache {
  private record Entry(Instant at, Sample sample) {}

  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Entry> entries = new HashMap<>(); // guarded by this

  SampleCache(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  synchronized Sample get(String key, Supplier<Sample> sampler) {
    Instant now = clock.instant();
    Entry e = entries.get(key);
    if (e != null && now.isBefore(e.at().plus(ttl))) {
      return e.sample();
    }
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (!now.isBefore(it.next().at().plus(ttl))) {
        it.remove();
      }
    }
    Sample fresh = sampler.get();
    entries.put(key, new Entry(now, fresh));
    return fresh;
  }
}

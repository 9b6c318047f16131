package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.util.Arrays;

/** Latencies of one kind of request, in microseconds; p50, p99 and max by nearest rank. Thread-safe. */
final class Latencies {
  private long[] micros = new long[1024];
  private int size;
  private int errors;

  synchronized void record(long nanos) {
    if (size == micros.length) {
      micros = Arrays.copyOf(micros, size * 2);
    }
    micros[size++] = nanos / 1_000;
  }

  synchronized void error() {
    errors++;
  }

  synchronized int count() {
    return size;
  }

  /** {@code {count, errors, p50Millis, p99Millis, maxMillis}}, to a tenth of a millisecond. */
  synchronized ObjectNode summary() {
    Percentiles p = new Percentiles(Arrays.copyOf(micros, size));
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("count", size);
    n.put("errors", errors);
    n.put("p50Millis", tenths(p.at(50)));
    n.put("p99Millis", tenths(p.at(99)));
    n.put("maxMillis", tenths(p.at(100)));
    return n;
  }

  private static double tenths(long micros) {
    return Math.round(micros / 100.0) / 10.0;
  }
}

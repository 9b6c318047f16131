package dev.corral.examples.fintrans;

import java.time.Instant;

/**
 * A window in which one account sent another more than the threshold, as written to the {@code fraud} topic:
 * {@code windowStart;windowEnd;fromAccount;toAccount;transfers;total} (times in epoch milliseconds).
 */
public record FraudAlert(long windowStart, long windowEnd, String from, String to, long transfers, long total) {

  public static FraudAlert parse(String line) {
    String[] f = line.trim().split(";", -1);
    if (f.length != 6) {
      throw new IllegalArgumentException("expected windowStart;windowEnd;from;to;transfers;total, got: " + line);
    }
    return new FraudAlert(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], f[3], Long.parseLong(f[4]),
        Long.parseLong(f[5]));
  }

  public String format() {
    return windowStart + ";" + windowEnd + ";" + from + ";" + to + ";" + transfers + ";" + total;
  }

  /** The line the viewer prints. */
  public String describe() {
    return "FRAUD " + from + " -> " + to + ": " + total + " in " + transfers + " transfers between "
        + Instant.ofEpochMilli(windowStart) + " and " + Instant.ofEpochMilli(windowEnd);
  }
}

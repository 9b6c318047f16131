package dev.corral.common;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A warning that may come once per task: at most {@code perMinute} of them are logged each minute, and the
 * next one logged says how many were left out. A failover with 100,000 tasks reporting the same oddity
 * otherwise writes 100,000 lines, and writing them slows the very recovery they describe. Thread-safe.
 */
public final class ThrottledLog {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final int perMinute;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private long suppressed;

  public ThrottledLog(int perMinute) {
    this(perMinute, System::nanoTime);
  }

  ThrottledLog(int perMinute, LongSupplier nanoTime) {
    this.perMinute = perMinute;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /**
   * Hands {@code log} the suffix to append ("" or " (N similar messages left out)") when this message may be
   * logged; otherwise counts it.
   */
  public void log(Consumer<String> log) {
    String suffix;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (now - windowStart >= MINUTE_NANOS) {
        windowStart = now;
        inWindow = 0;
      }
      if (inWindow >= perMinute) {
        suppressed++;
        return;
      }
      inWindow++;
      suffix = suppressed == 0 ? "" : " (" + suppressed + " similar messages left out before this one)";
      suppressed = 0;
    }
    log.accept(suffix);
  }
}

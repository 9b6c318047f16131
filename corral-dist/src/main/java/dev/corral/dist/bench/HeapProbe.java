package dev.corral.dist.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap after forced full collections: what is still reachable. */
final class HeapProbe {
  private HeapProbe() {}

  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // A few rounds: finalizers and reference processing can free more on the next one.
    for (int i = 0; i < 3; i++) {
      memory.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * As {@link #usedAfterGc}, after two seconds for what a layer that just stopped still had in flight (its
   * last messages, the reactions of the layers around it) to drain.
   */
  static long usedAfterSettling() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return usedAfterGc();
  }

  static long mib(long bytes) {
    return Math.round(bytes / (1024.0 * 1024.0));
  }
}

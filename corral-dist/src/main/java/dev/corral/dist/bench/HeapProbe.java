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

  static long mib(long bytes) {
    return Math.round(bytes / (1024.0 * 1024.0));
  }
}

package dev.corral.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports and port ranges on 127.0.0.1 for the clusters the tests start. */
final class Ports {
  private Ports() {}

  static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The first port of {@code size} consecutive ports that are free right now. */
  static int freeRange(int size) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(40_000, 50_000 - size);
      boolean allFree = true;
      for (int p = base; p < base + size && allFree; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException busy) {
          allFree = false;
        }
      }
      if (allFree) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range of " + size);
  }
}

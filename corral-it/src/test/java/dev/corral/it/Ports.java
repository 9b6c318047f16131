package dev.corral.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports and port ranges on 127.0.0.1 for the clusters the tests start. A port is handed out once per run:
 * the kernel may offer a port again as soon as the probing socket closes, and a cluster whose HTTP port was
 * also one of its ZooKeeper peers' ports failed to start.
 */
final class Ports {
  private static final Set<Integer> handedOut = new HashSet<>();

  private Ports() {}

  static synchronized int free() throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (handedOut.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
  }

  /** The first port of {@code size} consecutive ports that are free right now and were not handed out. */
  static synchronized int freeRange(int size) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(40_000, 50_000 - size);
      boolean allFree = true;
      for (int p = base; p < base + size && allFree; p++) {
        if (handedOut.contains(p)) {
          allFree = false;
          continue;
        }
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException busy) {
          allFree = false;
        }
      }
      if (allFree) {
        for (int p = base; p < base + size; p++) {
          handedOut.add(p);
        }
        return base;
      }
    }
    throw new IllegalStateException("no free port range of " + size);
  }
}

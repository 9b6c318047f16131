package dev.corral.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports and port ranges on 127.0.0.1 for the clusters the tests start. Ports come from outside the kernel's
 * ephemeral range: a port from that range that a stopped cluster freed can become the local port of any outgoing
 * connection before the cluster starts again on it (a restarted `corral up` failed to bind its gRPC port that
 * way). A port is also handed out once per run, so no two clusters of one run share one.
 */
final class Ports {
  private static final Set<Integer> handedOut = new HashSet<>();
  private static final int[] CANDIDATES = candidateRange();

  private Ports() {}

  static int free() {
    return freeRange(1);
  }

  /** The first port of {@code size} consecutive ports that are free right now and were not handed out. */
  static synchronized int freeRange(int size) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(CANDIDATES[0], CANDIDATES[1] - size);
      boolean allFree = true;
      for (int p = base; p < base + size && allFree; p++) {
        allFree = !handedOut.contains(p) && bindable(p);
      }
      if (allFree) {
        for (int p = base; p < base + size; p++) {
          handedOut.add(p);
        }
        return base;
      }
    }
    throw new IllegalStateException("no free port range of " + size + " in " + CANDIDATES[0] + "-" + CANDIDATES[1]);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException busy) {
      return false;
    }
  }

  /** [from, to) below the ephemeral range when there is room there (the usual 32768-60999), above it otherwise. */
  private static int[] candidateRange() {
    int low = 32_768;
    int high = 60_999;
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      low = Integer.parseInt(range[0]);
      high = Integer.parseInt(range[1]);
    } catch (IOException | RuntimeException notLinux) {
      // keep the kernel's default range
    }
    if (low - 10_000 >= 2_000) {
      return new int[] {10_000, low};
    }
    return new int[] {Math.max(high + 1, 1_024), 65_536};
  }
}

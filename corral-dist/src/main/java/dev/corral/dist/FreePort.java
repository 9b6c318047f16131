package dev.corral.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a port for a server this process starts next. */
final class FreePort {
  private FreePort() {}

  /** {@code preferred} when it can be bound on {@code bind} now, else 0 (the server takes any free port). */
  static int preferred(String bind, int preferred) {
    try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getByName(bind))) {
      s.setReuseAddress(true);
      return preferred;
    } catch (IOException e) {
      return 0;
    }
  }
}

package dev.corral.dist;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name this machine is known by, for agents' hostname and the API's advertised address. */
final class Hostnames {
  private Hostnames() {}

  static String local() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}

package dev.corral.services.app;

import java.util.Map;

/**
 * One port an app's tasks need on their host (host networking).
 *
 * @param port the service port once Corral assigned one; with {@code requirePorts} also the host port
 * @param protocol "tcp", "udp" or "udp,tcp"
 * @param name optional name, exported as {@code PORT_<NAME>}; null when absent
 */
public record PortDefinition(int port, String protocol, String name, Map<String, String> labels) {
  public PortDefinition {
    labels = Map.copyOf(labels);
  }
}

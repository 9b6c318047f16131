package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.PersistentVolume;
import java.util.List;
import java.util.Map;

/**
 * An agent as operators and the gateway see it: who it is, where its HTTP API (files, logs, metrics) is
 * served, and its resources. Immutable.
 *
 * @param httpHost the agent's advertised HTTP address (its hostname unless it listens on one address)
 * @param httpPort 0 when the agent serves no HTTP API
 * @param state its connection state (RECOVERED, REGISTERING, CONNECTED, DISCONNECTED, UNREACHABLE)
 * @param used what its live tasks hold
 * @param maintenance what the operator wants of it: ACTIVE, DRAINING, DRAINED or DEACTIVATED
 * @param volumes its persistent volumes (their disk is not in {@code total})
 */
public record AgentEndpoint(String id, String hostname, String httpHost, int httpPort, String state,
    boolean connected, String version, Map<String, String> attributes, ResourceSet total, ResourceSet used,
    String maintenance, List<PersistentVolume> volumes) {
  public AgentEndpoint {
    attributes = Map.copyOf(attributes);
    volumes = List.copyOf(volumes);
  }

  public AgentEndpoint(String id, String hostname, String httpHost, int httpPort, String state, boolean connected,
      String version, Map<String, String> attributes, ResourceSet total, ResourceSet used, String maintenance) {
    this(id, hostname, httpHost, httpPort, state, connected, version, attributes, total, used, maintenance,
        List.of());
  }

  public AgentEndpoint(String id, String hostname, String httpHost, int httpPort, String state, boolean connected,
      String version, Map<String, String> attributes, ResourceSet total, ResourceSet used) {
    this(id, hostname, httpHost, httpPort, state, connected, version, attributes, total, used, "ACTIVE");
  }
}

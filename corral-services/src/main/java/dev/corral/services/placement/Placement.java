package dev.corral.services.placement;

import dev.corral.api.v1.Resource;
import java.util.List;
import java.util.Map;

/**
 * One instance matched to (part of) an offer: the resources it takes, incl. the chosen host ports in the
 * order of the app's port definitions.
 */
public record Placement(String instanceId, String offerId, String agentId, String hostname,
    List<Resource> resources, List<Integer> hostPorts, Map<String, String> attributes) {

  public Placement {
    resources = List.copyOf(resources);
    hostPorts = List.copyOf(hostPorts);
    attributes = Map.copyOf(attributes);
  }
}

package dev.corral.services.placement;

import dev.corral.api.v1.Resource;
import dev.corral.services.instance.Reservation;
import java.util.List;
import java.util.Map;

/**
 * One instance matched to (part of) an offer: the resources it takes, incl. the chosen host ports in the
 * order of the app's port definitions.
 *
 * @param reservation a resident instance's reservation, whose resources and volumes the task uses; null for
 *     other instances
 * @param reserving whether the launch makes that reservation (RESERVE and CREATE before it): the instance's
 *     first placement
 */
public record Placement(String instanceId, String offerId, String agentId, String hostname,
    List<Resource> resources, List<Integer> hostPorts, Map<String, String> attributes, Reservation reservation,
    boolean reserving) {

  public Placement {
    resources = List.copyOf(resources);
    hostPorts = List.copyOf(hostPorts);
    attributes = Map.copyOf(attributes);
  }

  /** An instance that holds no reservation. */
  public Placement(String instanceId, String offerId, String agentId, String hostname, List<Resource> resources,
      List<Integer> hostPorts, Map<String, String> attributes) {
    this(instanceId, offerId, agentId, hostname, resources, hostPorts, attributes, null, false);
  }
}

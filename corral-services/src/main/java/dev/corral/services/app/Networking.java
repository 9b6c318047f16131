package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * How an app's tasks are networked (Marathon's {@code networks}): the host's network, or a container network
 * of their own ({@code container} or {@code container/bridge} mode; both are the agent's bridge) with
 * {@code container.portMappings}. Immutable.
 *
 * @param container whether tasks get a network of their own
 * @param name the container network's name ({@code networks[].name}), "" when none
 * @param portMappings the mappings, only with a container network
 */
public record Networking(boolean container, String name, List<PortMapping> portMappings) {
  public static final String HOST = "host";
  public static final String CONTAINER = "container";
  public static final String BRIDGE = "container/bridge";

  public Networking {
    portMappings = List.copyOf(portMappings);
  }

  static Networking of(JsonNode app) {
    JsonNode networks = app.path("networks");
    String mode = HOST;
    String name = "";
    if (networks.isArray() && networks.size() > 0) {
      mode = networks.get(0).path("mode").asText(CONTAINER);
      name = networks.get(0).path("name").asText("");
    }
    if (mode.equals(HOST)) {
      return new Networking(false, "", List.of());
    }
    boolean bridge = mode.equals(BRIDGE);
    List<PortMapping> out = new ArrayList<>();
    JsonNode mappings = app.path("container").path("portMappings");
    if (mappings.isArray()) {
      for (JsonNode m : mappings) {
        // bridge mode maps every port to the host (0: from the offer); container mode only those given
        JsonNode hp = m.get("hostPort");
        Integer hostPort = hp != null && hp.isNumber() ? Integer.valueOf(hp.asInt()) : bridge ? Integer.valueOf(0) : null;
        out.add(new PortMapping(m.path("containerPort").asInt(0), hostPort, m.path("protocol").asText("tcp"),
            m.hasNonNull("name") ? m.get("name").asText() : null));
      }
    }
    return new Networking(true, name, out);
  }

  /** The host ports each task needs, in the order of PORT0, PORT1…: 0 takes any port of the offer. */
  public List<Integer> hostPortRequests(List<PortDefinition> portDefinitions, boolean requirePorts) {
    List<Integer> out = new ArrayList<>();
    if (!container) {
      portDefinitions.forEach(p -> out.add(requirePorts ? p.port() : 0));
    } else {
      portMappings.stream().filter(m -> m.hostPort() != null).forEach(m -> out.add(m.hostPort()));
    }
    return out;
  }
}

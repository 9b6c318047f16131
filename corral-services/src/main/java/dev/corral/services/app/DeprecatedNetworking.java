package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Marathon's networking fields from before 1.5, translated into {@code networks} and
 * {@code container.portMappings} the way Marathon 1.5 migrates them, so that definitions written for older
 * Marathons run unchanged and are shown in the current form:
 *
 * <ul>
 *   <li>{@code container.docker.network}: {@code HOST} → {@code host}, {@code BRIDGE} → {@code container/bridge},
 *       {@code USER} → {@code container} named by {@code ipAddress.networkName};
 *   <li>{@code container.docker.portMappings} → {@code container.portMappings};
 *   <li>{@code ipAddress} without a Docker network → a {@code container} network of that name, its
 *       {@code discovery.ports} → port mappings without host ports (the old API could not publish them).
 * </ul>
 *
 * <p>A definition that mixes both forms is left as it is, and {@link AppValidator} names the clash: guessing
 * which form the user meant could run the app on the wrong network.
 */
final class DeprecatedNetworking {
  private DeprecatedNetworking() {}

  /** {@code app} in the current form; {@code app} itself when it has nothing to translate or has a clash. */
  static ObjectNode translate(ObjectNode app) {
    if (!uses(app) || !clashes(app).isEmpty() || app.has("container") && !app.get("container").isObject()) {
      return app;
    }
    ObjectNode out = app.deepCopy();
    JsonNode ipAddress = out.remove("ipAddress");
    // no container but an ipAddress: Marathon reads that as an empty MESOS container
    ObjectNode container = out.get("container") instanceof ObjectNode c ? c : out.putObject("container").put("type", "MESOS");
    ObjectNode docker = container.get("docker") instanceof ObjectNode d ? d : null;
    JsonNode dockerNetwork = docker == null ? null : docker.remove("network");
    JsonNode dockerMappings = docker == null ? null : docker.remove("portMappings");
    if (dockerMappings != null && dockerMappings.size() > 0) {
      container.set("portMappings", dockerMappings);
    }
    if (dockerNetwork == null && ipAddress == null) {
      return out; // an empty docker.portMappings: nothing else to move
    }
    String mode = dockerNetwork != null ? dockerNetwork.asText() : "USER";
    ObjectNode network = out.putArray("networks").addObject();
    switch (mode) {
      case "HOST" -> network.put("mode", Networking.HOST);
      case "BRIDGE" -> network.put("mode", Networking.BRIDGE);
      default -> {
        network.put("mode", Networking.CONTAINER);
        if (ipAddress != null && ipAddress.path("networkName").isTextual()) {
          network.put("name", ipAddress.get("networkName").asText());
        }
        if (ipAddress != null && ipAddress.path("labels").size() > 0) {
          network.set("labels", ipAddress.get("labels"));
        }
      }
    }
    JsonNode discovered = ipAddress == null ? null : ipAddress.path("discovery").get("ports");
    if (discovered != null && discovered.size() > 0) {
      ArrayNode mappings = container.putArray("portMappings");
      for (JsonNode p : discovered) {
        ObjectNode m = mappings.addObject().set("containerPort", p.get("number"));
        copy(p, m, "name");
        copy(p, m, "protocol");
        copy(p, m, "labels");
      }
    }
    return out;
  }

  /** Whether the definition uses one of the old fields. */
  static boolean uses(ObjectNode app) {
    JsonNode docker = app.path("container").path("docker");
    return app.has("ipAddress") || docker.has("network") || docker.has("portMappings");
  }

  /**
   * Why the old fields cannot be translated, as violations on those fields; empty when they can (or are
   * not used).
   */
  static List<Violation> clashes(ObjectNode app) {
    if (!uses(app)) {
      return List.of();
    }
    JsonNode container = app.path("container");
    JsonNode docker = container.path("docker");
    JsonNode ipAddress = app.get("ipAddress");
    if (ipAddress != null && !ipAddress.isObject()) {
      return List.of(new Violation("/ipAddress", "must be an object"));
    }
    JsonNode networks = app.get("networks");
    if (networks != null && networks.size() > 0) {
      String field = docker.has("network") ? "/container/docker/network" : ipAddress != null ? "/ipAddress"
          : "/container/docker/portMappings";
      return List.of(new Violation(field, "is Marathon's old networking API; give either networks (with "
          + "container.portMappings) or the old fields, not both"));
    }
    JsonNode network = docker.get("network");
    if (network != null && !(network.isTextual() && List.of("HOST", "BRIDGE", "USER").contains(network.asText()))) {
      return List.of(new Violation("/container/docker/network", "must be HOST, BRIDGE or USER"));
    }
    JsonNode dockerMappings = docker.get("portMappings");
    if (dockerMappings != null && !dockerMappings.isArray()) {
      return List.of(new Violation("/container/docker/portMappings", "must be an array"));
    }
    boolean newMappings = container.path("portMappings").size() > 0;
    if (dockerMappings != null && dockerMappings.size() > 0 && newMappings) {
      return List.of(new Violation("/container/docker/portMappings",
          "give either container.portMappings or container.docker.portMappings, not both"));
    }
    JsonNode discovered = ipAddress == null ? null : ipAddress.path("discovery").get("ports");
    if (discovered != null && discovered.size() > 0) {
      if (!container.path("type").asText("MESOS").equals("MESOS") || docker.has("image")) {
        return List.of(new Violation("/ipAddress/discovery/ports",
            "applies to MESOS containers only; give container.portMappings instead"));
      }
      if (newMappings || (dockerMappings != null && dockerMappings.size() > 0)) {
        return List.of(new Violation("/ipAddress/discovery/ports", "give either port mappings or ipAddress.discovery.ports, not both"));
      }
      if (!discovered.isArray()) {
        return List.of(new Violation("/ipAddress/discovery/ports", "must be an array"));
      }
    }
    if (("HOST".equals(network == null ? null : network.asText()) || network == null && ipAddress == null)
        && dockerMappings != null && dockerMappings.size() > 0) {
      return List.of(new Violation("/container/docker/portMappings", "needs network BRIDGE or USER"));
    }
    return List.of();
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }
}

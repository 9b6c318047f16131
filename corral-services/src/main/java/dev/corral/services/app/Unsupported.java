package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Fields Corral accepts and stores but cannot honour yet. An app that uses one is valid, but its instances
 * wait instead of launching: running it without the feature would run something else than the user asked
 * for. The reasons are shown in the queue and on the app (see the module README for the list).
 */
public final class Unsupported {
  private static final String SUFFIX = " is not supported yet; the app waits until it is"
      + " (see corral-services/README.md)";

  private Unsupported() {}

  /** Plain-language reasons why the app cannot launch; empty when it can. */
  public static List<String> reasons(AppDefinition app) {
    ObjectNode n = app.node();
    List<String> out = new ArrayList<>();
    JsonNode container = n.get("container");
    if (container != null && container.isObject()) {
      dockerReasons(app, container.path("docker"), out);
      if (container.hasNonNull("appc")) {
        out.add("container.appc" + SUFFIX);
      }
      JsonNode volumes = container.path("volumes");
      for (int i = 0; i < volumes.size(); i++) {
        JsonNode v = volumes.get(i);
        if (v.has("external")) {
          out.add("/container/volumes/" + i + ": external volumes (a volume driver such as REX-Ray)" + SUFFIX);
        }
        JsonNode persistent = v.path("persistent");
        String type = persistent.path("type").asText("root");
        if (persistent.isObject() && !type.equals("root")) {
          out.add("/container/volumes/" + i + "/persistent/type: " + type + " disks (a volume on a disk of its own)"
              + SUFFIX + "; \"root\" volumes (the default) run");
        }
        if (persistent.path("constraints").size() > 0) {
          out.add("/container/volumes/" + i + "/persistent/constraints (which disk to use)" + SUFFIX);
        }
      }
    }
    if (nonEmpty(n.get("storeUrls"))) {
      out.add("storeUrls" + SUFFIX);
    }
    if (DeprecatedNetworking.uses(n)) {
      // only a definition stored before the migration existed still has them (AppNormalizer.clean)
      out.add("container.docker.network, container.docker.portMappings or ipAddress were stored before Corral"
          + " migrated them; PUT the app again to have them migrated to networks");
    }
    JsonNode networks = n.get("networks");
    if (networks != null && networks.isArray() && networks.size() > 1) {
      out.add("/networks/1: more than one network per task" + SUFFIX);
    }
    String executor = n.path("executor").asText("");
    if (!executor.isEmpty() && !executor.equals("//cmd")) {
      out.add("a custom executor (" + executor + ")" + SUFFIX);
    }
    return List.copyOf(out);
  }

  /**
   * The image itself runs (the agent's oci containerizer pulls it); what Docker offers beyond it does not
   * yet: the docker run options the containerizer does not apply.
   */
  private static void dockerReasons(AppDefinition app, JsonNode docker, List<String> out) {
    if (!docker.isObject()) {
      return;
    }
    if (!app.dockerParameters().unsupported().isEmpty()) {
      out.add("container.docker.parameters " + String.join(", ", app.dockerParameters().unsupported())
          + " (of the docker run options only " + String.join(", ", DockerParameters.KEYS) + " apply)" + SUFFIX);
    }
  }

  private static boolean nonEmpty(JsonNode v) {
    return v != null && !v.isNull() && (v.isContainerNode() ? v.size() > 0 : true);
  }
}

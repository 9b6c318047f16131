package dev.corral.services.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.LocalVolume;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a pod is kept: as an app-shaped definition whose scheduling fields (instances, resources, constraints,
 * backoff, upgrade and unreachable strategies, kill selection) are derived from the pod, with the pod itself
 * under {@value #POD}. The deployment, planning and placement machinery of apps thus runs pods unchanged;
 * what differs (launching a task group, the API's shapes) looks at {@value #POD}.
 *
 * <p>The stored pod leaves out {@code scaling.instances} and {@code version}: they live in the app-shaped
 * fields, so a change of the instance count alone is a scaling, not a new configuration.
 */
public final class PodApps {
  /** The key of the pod's own definition in the app-shaped one. */
  public static final String POD = "pod";
  private static final String SUFFIX = " is not supported yet; the pod waits until it is (see docs/pods.md)";

  private PodApps() {}

  /** The app-shaped definition of a validated pod (its id already canonical). */
  public static ObjectNode toApp(ObjectNode pod, String id) {
    ObjectNode stored = pod.deepCopy();
    stored.put("id", id);
    stored.remove(List.of("version", "versionInfo"));
    int instances = 1;
    if (stored.path("scaling").isObject()) {
      ObjectNode scaling = (ObjectNode) stored.get("scaling");
      instances = scaling.path("instances").asInt(1);
      scaling.remove("instances");
      if (scaling.isEmpty()) {
        stored.remove("scaling");
      }
    }
    PodSpec spec = PodSpec.of(pod);
    PodSpec.Resources total = spec.total();
    ObjectNode app = Json.mapper().createObjectNode();
    app.put("id", id);
    app.put("instances", instances);
    app.put("cpus", total.cpus()).put("mem", total.mem()).put("disk", total.disk()).put("gpus", total.gpus());
    JsonNode scheduling = pod.path("scheduling");
    JsonNode placement = scheduling.path("placement");
    if (placement.path("constraints").isArray() && !placement.get("constraints").isEmpty()) {
      app.set("constraints", constraints(placement.get("constraints")));
    }
    if (placement.path("acceptedResourceRoles").isArray() && !placement.get("acceptedResourceRoles").isEmpty()) {
      app.set("acceptedResourceRoles", placement.get("acceptedResourceRoles").deepCopy());
    }
    JsonNode backoff = scheduling.path("backoff");
    copyNumber(backoff, "backoff", app, "backoffSeconds");
    copyNumber(backoff, "backoffFactor", app, "backoffFactor");
    copyNumber(backoff, "maxLaunchDelay", app, "maxLaunchDelaySeconds");
    JsonNode upgrade = scheduling.path("upgrade");
    if (upgrade.isObject()) {
      ObjectNode us = app.putObject("upgradeStrategy");
      copyNumber(upgrade, "minimumHealthCapacity", us, "minimumHealthCapacity");
      copyNumber(upgrade, "maximumOverCapacity", us, "maximumOverCapacity");
    }
    if (scheduling.hasNonNull("unreachableStrategy")) {
      app.set("unreachableStrategy", scheduling.get("unreachableStrategy").deepCopy());
    }
    if (scheduling.path("killSelection").isTextual()) {
      app.put("killSelection", scheduling.get("killSelection").asText());
    }
    if (pod.path("labels").isObject()) {
      app.set("labels", pod.get("labels").deepCopy());
    }
    if (pod.path("user").isTextual()) {
      app.put("user", pod.get("user").asText());
    }
    double grace = 0;
    for (PodSpec.Container c : spec.containers()) {
      grace = Math.max(grace, c.killGracePeriodSeconds() == null ? 0 : c.killGracePeriodSeconds());
    }
    if (grace > 0) {
      app.put("taskKillGracePeriodSeconds", (int) Math.ceil(grace));
    }
    app.set(POD, stored);
    return app;
  }

  /**
   * The pod as Marathon shows it: the stored pod with its id, instance count and version (Marathon's
   * defaults for scaling and scheduling filled in).
   */
  public static ObjectNode toPod(JsonNode app) {
    ObjectNode pod = app.path(POD).deepCopy();
    pod.put("id", app.path("id").asText());
    ObjectNode scaling = pod.path("scaling").isObject() ? (ObjectNode) pod.get("scaling") : pod.putObject("scaling");
    if (!scaling.has("kind")) {
      scaling.put("kind", "fixed");
    }
    scaling.put("instances", app.path("instances").asInt(1));
    if (app.hasNonNull("version")) {
      pod.put("version", app.get("version").asText());
    }
    if (!pod.has("networks")) {
      pod.putArray("networks").addObject().put("mode", "host");
    }
    if (!pod.has("volumes")) {
      pod.putArray("volumes");
    }
    if (!pod.has("executorResources")) {
      pod.putObject("executorResources").put("cpus", PodSpec.DEFAULT_EXECUTOR.cpus())
          .put("mem", PodSpec.DEFAULT_EXECUTOR.mem()).put("disk", PodSpec.DEFAULT_EXECUTOR.disk());
    }
    ObjectNode scheduling = pod.path("scheduling").isObject() ? (ObjectNode) pod.get("scheduling")
        : pod.putObject("scheduling");
    if (!scheduling.has("backoff")) {
      scheduling.putObject("backoff").put("backoff", 1).put("backoffFactor", 1.15).put("maxLaunchDelay", 3600);
    }
    if (!scheduling.has("upgrade")) {
      boolean resident = !LocalVolume.ofPod(pod).isEmpty(); // its instances cannot run twice: Marathon's default
      scheduling.putObject("upgrade").put("minimumHealthCapacity", resident ? 0.5 : 1)
          .put("maximumOverCapacity", resident ? 0 : 1);
    }
    if (!scheduling.has("killSelection")) {
      scheduling.put("killSelection", "YOUNGEST_FIRST");
    }
    return pod;
  }

  /** Marathon's pod constraints ({fieldName, operator, value} objects, or arrays) as app constraint arrays. */
  static ArrayNode constraints(JsonNode constraints) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (JsonNode c : constraints) {
      if (c.isObject()) {
        ArrayNode a = out.addArray().add(c.path("fieldName").asText("")).add(c.path("operator").asText(""));
        if (c.hasNonNull("value")) {
          a.add(c.get("value").asText());
        }
      } else {
        out.add(c.deepCopy());
      }
    }
    return out;
  }

  /** Why Corral cannot launch the pod yet; empty when it can. */
  public static List<String> unsupported(JsonNode pod) {
    List<String> out = new ArrayList<>();
    if (pod.path("networks").size() > 1) {
      out.add("/networks/1: more than one network per pod" + SUFFIX);
    }
    JsonNode volumes = pod.path("volumes");
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode persistent = volumes.get(i).path("persistent");
      String type = persistent.path("type").asText("root");
      if (persistent.isObject() && !type.equals("root")) {
        out.add("/volumes/" + i + "/persistent/type: " + type + " disks (a volume on a disk of its own)" + SUFFIX
            + "; \"root\" volumes (the default) run");
      }
      if (persistent.path("constraints").size() > 0) {
        out.add("/volumes/" + i + "/persistent/constraints (which disk to use)" + SUFFIX);
      }
    }
    JsonNode containers = pod.path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode image = containers.get(i).path("image");
      if (image.isObject() && image.path("kind").asText("DOCKER").toUpperCase(Locale.ROOT).equals("APPC")) {
        out.add("/containers/" + i + "/image: APPC images" + SUFFIX);
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(out));
  }

  private static void copyNumber(JsonNode from, String field, ObjectNode to, String as) {
    if (from.path(field).isNumber()) {
      to.set(as, from.get(field).deepCopy());
    }
  }
}

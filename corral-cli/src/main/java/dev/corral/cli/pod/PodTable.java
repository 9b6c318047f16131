package dev.corral.cli.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Pods as tables: from their statuses ({@code pod list}) or from their definitions alone ({@code group show}). */
public final class PodTable {
  private PodTable() {}

  /**
   * Marathon {@code PodStatus} objects: id, running/desired instances, the pod's status, container names.
   * Running counts the instances that are up, healthy or not (STABLE and DEGRADED), like {@code tasksRunning}
   * of apps.
   */
  public static Table ofStatuses(JsonNode statuses) {
    Table table = Table.withHeaders("ID", "INSTANCES", "STATUS", "CONTAINERS");
    for (JsonNode status : sorted(statuses)) {
      JsonNode spec = status.path("spec");
      int running = 0;
      for (JsonNode instance : status.path("instances")) {
        String state = instance.path("status").asText();
        if (state.equals("STABLE") || state.equals("DEGRADED")) {
          running++;
        }
      }
      table.row(Cells.text(status.path("id")), running + "/" + desired(spec),
          Cells.text(status.path("status")), containers(spec));
    }
    return table;
  }

  /** Marathon {@code Pod} definitions: id, desired instances, container names. */
  public static Table ofSpecs(JsonNode pods) {
    Table table = Table.withHeaders("ID", "INSTANCES", "CONTAINERS");
    for (JsonNode pod : sorted(pods)) {
      table.row(Cells.text(pod.path("id")), desired(pod), containers(pod));
    }
    return table;
  }

  /** The instance count asked for; Marathon's default when a pod leaves {@code scaling} out is 1. */
  static String desired(JsonNode pod) {
    JsonNode instances = pod.path("scaling").path("instances");
    return instances.isMissingNode() ? "1" : Cells.number(instances);
  }

  /** {@code web,sidecar}. */
  static String containers(JsonNode pod) {
    List<String> names = new ArrayList<>();
    pod.path("containers").forEach(c -> names.add(c.path("name").asText()));
    return names.isEmpty() ? Cells.NONE : String.join(",", names);
  }

  private static List<JsonNode> sorted(JsonNode array) {
    List<JsonNode> sorted = new ArrayList<>();
    array.forEach(sorted::add);
    sorted.sort(Comparator.comparing(p -> p.path("id").asText()));
    return sorted;
  }
}

package dev.corral.services.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A group created explicitly (POST/PUT /v2/groups): it exists even without apps, and its dependencies apply
 * to every app in it. Groups that only appear as the path of an app id need no record.
 *
 * @param dependencies absolute ids of apps or groups every app of this group depends on
 * @param version when the group was last changed through the groups API
 */
public record GroupRecord(String id, List<String> dependencies, String version) {
  public GroupRecord {
    dependencies = List.copyOf(dependencies);
  }

  byte[] toBytes() {
    ObjectNode n = Json.mapper().createObjectNode().put("id", id).put("version", version);
    dependencies.forEach(n.putArray("dependencies")::add);
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GroupRecord fromBytes(byte[] data) {
    try {
      JsonNode n = Json.mapper().readTree(data);
      List<String> deps = new ArrayList<>();
      n.path("dependencies").forEach(d -> deps.add(d.asText()));
      return new GroupRecord(n.path("id").asText(), deps, n.path("version").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("stored group is not valid JSON", e);
    }
  }
}

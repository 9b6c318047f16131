package dev.corral.cli.group;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.GroupId;

/** Where groups are read from, and how their JSON is counted. */
final class Groups {
  // Marathon embeds child groups and apps by default; pods and task counts only when asked. Naming all of
  // them keeps the answer the same on servers with other defaults.
  static final String EMBED = "embed=group.groups&embed=group.apps&embed=group.pods";
  static final String EMBED_WITH_COUNTS = EMBED + "&embed=group.apps.counts";

  private Groups() {}

  static String path(GroupId id, String embed) {
    return id.apiPath() + "?" + embed;
  }

  /** {@code 3}, or {@code -} when the server did not include the list at all. */
  static String count(JsonNode array) {
    return array.isArray() ? String.valueOf(array.size()) : "-";
  }
}

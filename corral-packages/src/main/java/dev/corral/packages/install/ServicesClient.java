package dev.corral.packages.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the package manager needs of the service scheduler. It goes through the Marathon API, the same path a
 * user's definitions take, so that a rendered package is validated, persisted and deployed like any app.
 */
public interface ServicesClient {
  /** Whether an app or a group has this absolute id. */
  boolean exists(String id);

  /** POST /v2/apps; returns the deployment id. */
  String createApp(ObjectNode app);

  /** POST /v2/groups; returns the deployment id. */
  String createGroup(ObjectNode group);

  /** Every app that carries the label (with its labels and id). */
  List<JsonNode> appsLabelled(String label);

  /** Removes the app or group with this id (forcing past running deployments); returns the deployment id. */
  String remove(String id, boolean group);
}

package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Instance;
import java.util.List;

/**
 * The answer to an API write, given once the write is durable.
 *
 * @param app the app as stored after the write (for a delete: as it was)
 * @param created whether the write created the app
 * @param killed instances whose tasks the write asked to kill (as they were before), for task deletes
 */
public record WriteResult(AppDefinition app, String deploymentId, String version, boolean created,
    List<Instance> killed) {

  public WriteResult {
    killed = List.copyOf(killed);
  }
}

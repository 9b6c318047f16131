package dev.corral.services.engine;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How many instances of each app, per config version, are in some condition (e.g. waiting for an offer).
 * Lets the engine answer "does this app have one?" without walking the app's instances, which would cost
 * O(instances) on every status update. Loop-confined, like the model that keeps it.
 */
final class ConfigCounts {
  private final Map<String, Map<String, Integer>> byApp = new HashMap<>();

  void add(String appId, String configVersion) {
    byApp.computeIfAbsent(appId, k -> new HashMap<>(2)).merge(configVersion, 1, Integer::sum);
  }

  void remove(String appId, String configVersion) {
    Map<String, Integer> of = byApp.get(appId);
    if (of == null) {
      return;
    }
    of.computeIfPresent(configVersion, (k, n) -> n > 1 ? n - 1 : null);
    if (of.isEmpty()) {
      byApp.remove(appId);
    }
  }

  int count(String appId, String configVersion) {
    Map<String, Integer> of = byApp.get(appId);
    return of == null ? 0 : of.getOrDefault(configVersion, 0);
  }

  /** Apps with at least one counted instance, of any config. */
  Set<String> appIds() {
    return Collections.unmodifiableSet(byApp.keySet());
  }
}

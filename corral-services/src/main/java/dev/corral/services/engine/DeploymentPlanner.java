package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.engine.Deployment.Action;
import dev.corral.services.engine.Deployment.AppAction;
import dev.corral.services.engine.Deployment.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a change (each affected app's definition before and after) into Marathon's plan of steps. Pure.
 *
 * <p>Order: one step stopping removed apps; one step creating new apps (with nothing running yet); then the
 * apps that start, scale or restart, by dependency level: an app comes in a later step than every app it
 * depends on (directly or through other apps, changed or not), so a database is up before the service that
 * needs it. A dependency cycle is refused.
 */
final class DeploymentPlanner {
  private DeploymentPlanner() {}

  /** A dependency cycle, with its path ({@code /a → /b → /a}). */
  static final class CycleException extends IllegalArgumentException {
    CycleException(String path) {
      super("dependency cycle: " + path);
    }
  }

  /**
   * @param before affected app id → its definition before the change (null: the change creates it)
   * @param after affected app id → its definition after the change (null: the change removes it)
   * @param dependencies an app's direct dependencies as app ids (group dependencies already expanded), over
   *     the apps as they are after the change
   */
  static List<Step> steps(Map<String, AppDefinition> before, Map<String, AppDefinition> after,
      Function<String, Collection<String>> dependencies) {
    List<AppAction> stops = new ArrayList<>();
    List<AppAction> starts = new ArrayList<>();
    Map<String, Action> acting = new TreeMap<>();
    Set<String> ids = new TreeSet<>(before.keySet());
    ids.addAll(after.keySet());
    for (String id : ids) {
      AppDefinition was = before.get(id);
      AppDefinition will = after.get(id);
      boolean pod = (will != null ? will : was) != null && (will != null ? will : was).isPod();
      if (will == null) {
        if (was != null) {
          stops.add(new AppAction(Action.StopApplication.forPod(pod), id));
        }
      } else if (was == null) {
        starts.add(new AppAction(Action.StartApplication.forPod(pod), id));
        acting.put(id, Action.ScaleApplication.forPod(pod));
      } else if (!was.configVersion().equals(will.configVersion())) {
        acting.put(id, Action.RestartApplication.forPod(pod));
      } else if (was.instances() != will.instances()) {
        acting.put(id, Action.ScaleApplication.forPod(pod));
      }
    }
    List<Step> steps = new ArrayList<>();
    if (!stops.isEmpty()) {
      steps.add(new Step(stops));
    }
    if (!starts.isEmpty()) {
      steps.add(new Step(starts));
    }
    Map<String, Integer> levels = new HashMap<>();
    TreeMap<Integer, List<AppAction>> byLevel = new TreeMap<>();
    for (Map.Entry<String, Action> e : acting.entrySet()) {
      int level = level(e.getKey(), dependencies, levels, new ArrayDeque<>(), new LinkedHashSet<>());
      byLevel.computeIfAbsent(level, k -> new ArrayList<>()).add(new AppAction(e.getValue(), e.getKey()));
    }
    byLevel.values().forEach(actions -> steps.add(new Step(actions)));
    return steps;
  }

  /** Length of the longest dependency chain below the app; memoized; throws on a cycle. */
  private static int level(String id, Function<String, Collection<String>> dependencies, Map<String, Integer> levels,
      Deque<String> path, Set<String> onPath) {
    Integer known = levels.get(id);
    if (known != null) {
      return known;
    }
    if (!onPath.add(id)) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (String p : path) {
        in |= p.equals(id);
        if (in) {
          cycle.add(p);
        }
      }
      cycle.add(id);
      throw new CycleException(String.join(" → ", cycle));
    }
    path.addLast(id);
    int level = 0;
    for (String dep : dependencies.apply(id)) {
      if (!dep.equals(id)) {
        level = Math.max(level, 1 + level(dep, dependencies, levels, path, onPath));
      }
    }
    path.removeLast();
    onPath.remove(id);
    levels.put(id, level);
    return level;
  }
}

package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.KillSelection;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Compares an app's goal with its instances and says what to change, as effects. Pure and idempotent: run it
 * after every change to the app or its instances; when nothing needs doing it returns nothing.
 *
 * <p>Rules. Instances of the current config (goal RUNNING) are brought to {@code instances}: missing ones are
 * created SCHEDULED, extra ones decommissioned in kill-selection order. Instances of an older config are
 * replaced: those without a live task go at once; those with one are killed only as instances of the new
 * config reach RUNNING, so that as many tasks as asked for keep running during the change (a simple replace;
 * rolling upgrades that honour health and upgradeStrategy come later). A deleted app's instances are all
 * decommissioned. Decommissioning an instance with a live task sends a kill; without one, it is expunged.
 */
final class AppPlanner {
  private AppPlanner() {}

  /**
   * @param app the app's definition: the current one, or, when {@code deleted}, the last one
   * @param newInstanceId makes ids for new instances
   */
  static List<Effect> plan(String appId, AppDefinition app, boolean deleted, Collection<Instance> instances,
      Instant now, Supplier<String> newInstanceId) {
    List<Effect> effects = new ArrayList<>();
    List<Instance> current = new ArrayList<>();
    List<Instance> old = new ArrayList<>();
    for (Instance i : instances) {
      if (i.goal() != Goal.RUNNING) {
        // A decommissioned instance without a task left has nothing to wait for (e.g. after a restart).
        if (!i.hasLiveTask()) {
          effects.add(new Effect.ExpungeInstance(i.id()));
        }
        continue;
      }
      if (!deleted && app != null && i.configVersion().equals(app.configVersion())) {
        current.add(i);
      } else {
        old.add(i);
      }
    }
    OptionalDouble grace = app == null || app.taskKillGracePeriodSeconds().isEmpty()
        ? OptionalDouble.empty() : OptionalDouble.of(app.taskKillGracePeriodSeconds().getAsInt());
    if (deleted || app == null) {
      old.forEach(i -> decommission(i, grace, effects));
      return effects;
    }
    int target = app.instances();
    if (current.size() < target) {
      for (int n = current.size(); n < target; n++) {
        effects.add(new Effect.PutInstance(Instance.scheduled(newInstanceId.get(), appId, app.configVersion(), now)));
      }
    } else if (current.size() > target) {
      List<Instance> order = killOrder(current, app.killSelection());
      List<Instance> extra = order.subList(0, current.size() - target);
      extra.forEach(i -> decommission(i, grace, effects));
      current.removeAll(extra);
    }
    List<Instance> oldLive = new ArrayList<>();
    for (Instance o : old) {
      if (o.hasLiveTask()) {
        oldLive.add(o);
      } else {
        decommission(o, grace, effects);
      }
    }
    long runningNew = current.stream().filter(i -> i.state() == InstanceState.RUNNING).count();
    long keep = Math.max(0, target - runningNew);
    if (oldLive.size() > keep) {
      List<Instance> order = killOrder(oldLive, app.killSelection());
      order.subList(0, (int) (oldLive.size() - keep)).forEach(i -> decommission(i, grace, effects));
    }
    return effects;
  }

  /**
   * Decommissions one instance. Only the goal changes: the observed state stays until the agent reports the
   * kill, so a task that ignores the kill still shows as running.
   */
  static void decommission(Instance i, OptionalDouble grace, List<Effect> effects) {
    if (i.hasLiveTask()) {
      effects.add(new Effect.PutInstance(i.withGoal(Goal.DECOMMISSIONED)));
      effects.add(new Effect.Kill(i.task().taskId(), i.task().agentId(), grace));
    } else {
      effects.add(new Effect.ExpungeInstance(i.id()));
    }
  }

  /**
   * The order in which to give instances up: those without a task first, then unreachable, then not yet
   * running, then running ones; within a rank the youngest (or oldest) first, by the time the task was staged
   * (or the instance created).
   */
  static List<Instance> killOrder(Collection<Instance> instances, KillSelection selection) {
    Comparator<Instance> byAge = Comparator.comparing(AppPlanner::since);
    if (selection == KillSelection.YOUNGEST_FIRST) {
      byAge = byAge.reversed();
    }
    List<Instance> out = new ArrayList<>(instances);
    out.sort(Comparator.comparingInt(AppPlanner::rank).thenComparing(byAge).thenComparing(Instance::id));
    return out;
  }

  private static int rank(Instance i) {
    if (!i.hasLiveTask()) {
      return 0;
    }
    switch (i.state()) {
      case UNREACHABLE: return 1;
      case STAGING:
      case STARTING: return 2;
      default: return 3;
    }
  }

  private static Instant since(Instance i) {
    return i.task() != null ? i.task().stagedAt() : i.createdAt();
  }
}

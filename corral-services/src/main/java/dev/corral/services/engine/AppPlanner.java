package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.KillSelection;
import dev.corral.services.app.UnreachableStrategy;
import dev.corral.services.app.UpgradeStrategy;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compares an app's goal with its instances and says what to change, as effects. Pure and idempotent: run it
 * after every change to the app or its instances; when nothing needs doing it returns nothing.
 *
 * <p>Rules. Instances of the current config (goal RUNNING) are brought to {@code instances}: missing ones are
 * created SCHEDULED, extra ones decommissioned in kill-selection order. Instances of an older config are
 * replaced by a rolling upgrade that honours the app's {@link UpgradeStrategy}:
 * <ul>
 *   <li>serving instances (new ones running, healthy and ready; old ones running and not unhealthy) never
 *       drop below {@code ceil(instances × minimumHealthCapacity)} because of a kill decided here;
 *   <li>live instances (old, new, and killed ones whose tasks have not ended yet) never exceed
 *       {@code floor(instances × (1 + maximumOverCapacity))} because of a launch decided here;
 *   <li>old instances that do not serve are replaced at once;
 *   <li>when neither a kill nor a launch is allowed and nothing is under way (the floor equals the ceiling,
 *       e.g. 1 and 0), one old instance is killed to make room, as Marathon does.
 * </ul>
 * A new version whose instances never become healthy therefore never takes the old ones below the floor. A
 * deleted app's instances are all decommissioned. An app held by its deployment (a later step) is left
 * alone. An instance unreachable for {@code unreachableStrategy.inactiveAfterSeconds} is decommissioned (and
 * so replaced), and forgotten after {@code expungeAfterSeconds}. Decommissioning an instance with a live task sends a kill; without one, it is expunged.
 * Instances on a draining agent are replaced like those of an older config: by the same rolling rules, so a
 * drain never takes the app below its health floor.
 */
final class AppPlanner {
  private AppPlanner() {}

  /**
   * @param app the app's definition: the current one, or, when {@code deleted}, the last one
   * @param held whether the app's deployment holds it (its step has not started): nothing is changed
   * @param newInstanceId makes ids for new instances
   */
  static List<Effect> plan(String appId, AppDefinition app, boolean deleted, boolean held,
      Collection<Instance> instances, Instant now, Supplier<String> newInstanceId) {
    return plan(appId, app, deleted, held, instances, now, newInstanceId, Set.of());
  }

  /** As above; instances whose task is on one of {@code drainingAgents} are replaced elsewhere. */
  static List<Effect> plan(String appId, AppDefinition app, boolean deleted, boolean held,
      Collection<Instance> instances, Instant now, Supplier<String> newInstanceId, Set<String> drainingAgents) {
    List<Effect> effects = new ArrayList<>();
    List<Instance> current = new ArrayList<>();
    List<Instance> old = new ArrayList<>();
    // stopped resident instances whose tasks have ended: taken up again before any new instance is made
    List<Instance> adoptable = new ArrayList<>();
    UnreachableStrategy unreachable = app == null ? UnreachableStrategy.DEFAULT : app.unreachableStrategy();
    int dying = 0;
    for (Instance i : instances) {
      if (i.isResident() && i.goal() != Goal.RUNNING && !i.hasLiveTask()) {
        if (i.goal() == Goal.STOPPED) {
          adoptable.add(i);
        }
        continue; // decommissioned: the offer round destroys its volumes and unreserves, then forgets it
      }
      if (i.goal() != Goal.RUNNING) {
        // A decommissioned instance without a task left has nothing to wait for (e.g. after a restart).
        if (!i.hasLiveTask() || (unreachable.enabled()
            && i.unreachableFor(unreachable.expungeAfterSeconds(), now))) {
          effects.add(forget(i, i.goal()));
        } else if (i.state() != InstanceState.UNREACHABLE) {
          // Unreachable tasks hold resources on no agent we can offer from: they take no capacity.
          dying++;
        }
        continue;
      }
      if (!held && unreachable.enabled() && i.unreachableFor(unreachable.inactiveAfterSeconds(), now)) {
        // Replaced now; the kill reaches the task if its agent comes back, so no duplicate survives.
        decommission(i, OptionalDouble.empty(), effects);
        if (i.hasLiveTask() && i.unreachableFor(unreachable.expungeAfterSeconds(), now)) {
          effects.add(new Effect.ExpungeInstance(i.id())); // past both times at once: one plan does both
        }
        continue;
      }
      // a resident instance's data is on its agent: it cannot move away from a drain
      boolean draining = !i.isResident() && i.task() != null && drainingAgents.contains(i.task().agentId());
      if (!deleted && app != null && i.configVersion().equals(app.configVersion()) && !draining) {
        current.add(i);
      } else {
        old.add(i);
      }
    }
    if (held) {
      return effects;
    }
    OptionalDouble grace = app == null || app.taskKillGracePeriodSeconds().isEmpty()
        ? OptionalDouble.empty() : OptionalDouble.of(app.taskKillGracePeriodSeconds().getAsInt());
    if (deleted || app == null) {
      old.forEach(i -> decommission(i, grace, effects));
      adoptable.forEach(i -> effects.add(new Effect.PutInstance(i.withGoal(Goal.DECOMMISSIONED))));
      return effects;
    }
    int target = app.instances();
    if (current.size() > target) {
      List<Instance> extra = killOrder(current, app.killSelection()).subList(0, current.size() - target);
      extra.forEach(i -> retire(i, grace, effects));
      dying += (int) extra.stream().filter(Instance::hasLiveTask).count();
      current.removeAll(extra);
    }
    if (old.isEmpty() && dying == 0) {
      for (int n = current.size(); n < target; n++) {
        effects.add(newInstance(app, adoptable, now, newInstanceId));
      }
      return effects;
    }
    replaceOld(app, current, old, adoptable, dying, grace, now, newInstanceId, effects);
    return effects;
  }

  /**
   * An instance to launch for the app's current config: a stopped resident instance taken up again (its
   * volumes keep their data), else a new one.
   */
  private static Effect newInstance(AppDefinition app, List<Instance> adoptable, Instant now,
      Supplier<String> newInstanceId) {
    if (!adoptable.isEmpty()) {
      adoptable.sort(Comparator.comparing(Instance::createdAt).thenComparing(Instance::id));
      return new Effect.PutInstance(adoptable.remove(0).adopted(app.configVersion()));
    }
    return new Effect.PutInstance(Instance.scheduled(newInstanceId.get(), app.id(), app.configVersion(), now));
  }

  /**
   * Gives up an instance the app no longer wants as it is (scaled away, or replaced by a new version): a
   * resident one is stopped, keeping its reservation and volumes for a later scale-up or its new version;
   * any other is decommissioned.
   */
  static void retire(Instance i, OptionalDouble grace, List<Effect> effects) {
    if (!i.isResident()) {
      decommission(i, grace, effects);
    } else if (i.hasLiveTask()) {
      effects.add(new Effect.PutInstance(i.withGoal(Goal.STOPPED)));
      effects.add(new Effect.Kill(i.task().taskId(), i.task().agentId(), grace));
    } else {
      effects.add(new Effect.PutInstance(i.parked(Goal.STOPPED)));
    }
  }

  /**
   * One round of a rolling upgrade (see the class comment); also a scale-up while killed tasks are still
   * ending, which must not take the app above its ceiling either.
   */
  private static void replaceOld(AppDefinition app, List<Instance> current, List<Instance> old,
      List<Instance> adoptable, int dying, OptionalDouble grace, Instant now, Supplier<String> newInstanceId,
      List<Effect> effects) {
    int target = app.instances();
    UpgradeStrategy strategy = app.upgradeStrategy();
    int servingNew = 0;
    for (Instance i : current) {
      servingNew += InstanceHealth.serving(i, app) ? 1 : 0;
    }
    List<Instance> oldServing = new ArrayList<>();
    List<Instance> oldLive = new ArrayList<>();
    List<Instance> waitingOld = new ArrayList<>();
    for (Instance o : old) {
      if (!o.hasLiveTask()) {
        if (o.isResident()) {
          adoptable.add(o); // taken up for the new version below, or stopped
          waitingOld.add(o);
        } else {
          decommission(o, grace, effects);
        }
      } else if (InstanceHealth.stillServing(o)) {
        oldServing.add(o);
      } else {
        // Serves nobody, so replacing it at once costs no capacity.
        retire(o, grace, effects);
        dying++;
      }
    }
    int killable = Math.max(0, oldServing.size() + servingNew - strategy.minHealthy(target));
    List<Instance> order = killOrder(oldServing, app.killSelection());
    int kills = Math.min(killable, order.size());
    // Killed tasks hold their resources until they end, so a kill frees capacity only later.
    int live = order.size() + dying + current.size();
    int launches = Math.max(0, Math.min(target - current.size(), strategy.maxCapacity(target) - live));
    boolean underWay = dying > 0 || servingNew < current.size();
    if (kills == 0 && launches == 0 && current.size() < target && !underWay && !order.isEmpty()) {
      kills = 1;
    }
    order.subList(0, kills).forEach(i -> retire(i, grace, effects));
    for (int n = 0; n < launches; n++) {
      effects.add(newInstance(app, adoptable, now, newInstanceId));
    }
    for (Instance o : waitingOld) {
      if (adoptable.contains(o)) {
        effects.add(new Effect.PutInstance(o.parked(Goal.STOPPED)));
      }
    }
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
      effects.add(forget(i, Goal.DECOMMISSIONED));
    }
  }

  /**
   * A kill the API asked for (Marathon's task or pod instance kill): the instance is decommissioned and
   * replaced, or with {@code scale} just decommissioned (the app's count drops). A resident instance keeps its
   * volumes unless {@code wipe}: killed, it relaunches on them; scaled away, it is stopped with them.
   */
  static void killOnRequest(Instance i, boolean scale, boolean wipe, OptionalDouble grace, List<Effect> effects) {
    if (!i.isResident() || wipe) {
      decommission(i, grace, effects);
    } else if (scale) {
      retire(i, grace, effects);
    } else {
      effects.add(new Effect.Kill(i.taskId(), i.task().agentId(), grace));
    }
  }

  /**
   * What becomes of an instance without a live task that is not wanted any more: forgotten, unless it is
   * resident, when it keeps its reservation with {@code goal} (STOPPED: to be taken up again; DECOMMISSIONED:
   * to be released by the offer round, which forgets it after).
   */
  static Effect forget(Instance i, Goal goal) {
    return i.isResident() ? new Effect.PutInstance(i.parked(goal)) : new Effect.ExpungeInstance(i.id());
  }

  /**
   * What an unwanted resident instance keeps its reservation for: a later scale-up or version of its app
   * (STOPPED), unless the app is gone or the instance was decommissioned (DECOMMISSIONED: released).
   */
  static Goal keptGoal(Instance i, AppDefinition app) {
    return app == null || i.goal() == Goal.DECOMMISSIONED ? Goal.DECOMMISSIONED : Goal.STOPPED;
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

package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.engine.Deployment.AppAction;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves deployments on: after every commit, the deployments of the apps it touched are checked, and each
 * whose current step is done moves to the next step (stored, and the apps of that step released to the
 * planner) or, after the last, is removed. Loop-confined.
 *
 * <p>A step is done when each action is: a start at once (the app exists); a stop when the app has no
 * instance left but those whose reservations wait to be released; a scale or restart when the app has
 * exactly {@code instances} wanted instances, all of the current config and serving (running, healthy, ready),
 * and no killed task is still ending.
 */
final class DeploymentProgress {
  private static final Logger log = LoggerFactory.getLogger(DeploymentProgress.class);

  private final Engine engine;

  DeploymentProgress(Engine engine) {
    this.engine = engine;
  }

  /** Checks the deployments of the touched apps; commits what moving them on changes. */
  void check(Set<String> touchedApps) {
    ServiceModel model = engine.model;
    if (touchedApps.isEmpty() || model.deployments().isEmpty()) {
      return;
    }
    Set<Deployment> candidates = new LinkedHashSet<>();
    for (String appId : touchedApps) {
      Deployment d = model.deploymentOf(appId);
      if (d != null) {
        candidates.add(d);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    Engine.Batch b = new Engine.Batch();
    for (Deployment d : candidates) {
      moveOn(d, b);
    }
    if (!b.ops().isEmpty() || !b.after.isEmpty()) {
      engine.commit(b);
    }
  }

  /** Stores a new deployment; the caller applies this before re-planning its apps. */
  void begin(Deployment d, Engine.Batch b) {
    log.info("deployment {} started: {} step(s) for {}", d.id(), d.steps().size(), d.affectedApps());
    engine.apply(b, List.of(new Effect.PutDeployment(d)));
    b.events.add(DeploymentEvents.info(d));
  }

  /** Cancels a deployment (overridden by a forced change, or stopped); its held apps are released. */
  void cancel(Deployment d, Engine.Batch b, String why) {
    log.info("deployment {} cancelled: {}", d.id(), why);
    engine.apply(b, List.of(new Effect.RemoveDeployment(d.id())));
    b.events.add(DeploymentEvents.failed(d, why));
    for (String appId : d.affectedApps()) {
      engine.apply(b, engine.replan(appId));
    }
  }

  private void moveOn(Deployment d, Engine.Batch b) {
    Deployment current = d;
    while (!current.finished() && stepDone(current)) {
      b.events.add(DeploymentEvents.stepSuccess(current));
      current = current.advance();
      if (current.finished()) {
        log.info("deployment {} finished", current.id());
        engine.apply(b, List.of(new Effect.RemoveDeployment(current.id())));
        b.events.add(DeploymentEvents.success(current));
        return;
      }
      engine.apply(b, List.of(new Effect.PutDeployment(current)));
      b.events.add(DeploymentEvents.info(current));
      for (AppAction a : current.currentActions()) {
        engine.apply(b, engine.replan(a.appId()));
      }
    }
  }

  boolean stepDone(Deployment d) {
    for (AppAction a : d.currentActions()) {
      if (!actionDone(a)) {
        return false;
      }
    }
    return true;
  }

  private boolean actionDone(AppAction a) {
    ServiceModel model = engine.model;
    AppDefinition app = model.app(a.appId());
    switch (a.action()) {
      case StartApplication:
      case StartPod:
        return true;
      case StopApplication:
      case StopPod:
        // a resident app's reservations are released later, with the next offer of each agent
        return app == null && model.instanceCount(a.appId()) == model.releasingCount(a.appId());
      default:
        if (app == null) {
          return true;
        }
        // Counted in O(1) first: the walk over the instances (for health and readiness) runs only at the end.
        // (stopped resident instances, kept for their volumes, do not count)
        if (model.wantedCount(app.id(), app.configVersion()) != app.instances()
            || model.runningWantedCount(app.id(), app.configVersion()) != app.instances()) {
          return false;
        }
        return settled(app, model.instancesOf(a.appId()));
    }
  }

  /** Exactly {@code instances} instances, all of the current config and serving; none still ending. */
  static boolean settled(AppDefinition app, Iterable<Instance> instances) {
    int serving = 0;
    for (Instance i : instances) {
      if (i.goal() != Goal.RUNNING) {
        if (i.hasLiveTask()) {
          return false;
        }
        continue;
      }
      if (!i.configVersion().equals(app.configVersion()) || !InstanceHealth.serving(i, app)) {
        return false;
      }
      serving++;
    }
    return serving == app.instances();
  }
}

package dev.corral.services.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Ids;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.app.AppValidator;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.app.Violation;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.pod.PodApps;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The API's writes. Each one validates against the current state first and throws
 * {@link CommandException} before touching anything, so a refused request changes nothing; an accepted one
 * becomes one {@link Deployment} and its effects (the apps, their versions, their instances' goals) in one
 * commit, and its future completes when that commit is durable. Runs on the event loop.
 *
 * <p>An app that a running deployment is still changing is locked: a write touching it is refused (409, with
 * the deployment ids) unless {@code force}, which cancels those deployments first.
 */
public final class AppCommands {
  private final Engine engine;

  AppCommands(Engine engine) {
    this.engine = engine;
  }

  /**
   * One app's part in a change.
   *
   * @param definition the new definition (valid, with its canonical id); null removes the app
   * @param restart replace every task even if only the version changed
   * @param restoring the stored version this change goes back to (a rollback), or null: when the definition
   *     runs the same as that version, the instances still running it are kept
   */
  record Change(String appId, ObjectNode definition, boolean restart, AppDefinition restoring) {
    static Change put(String appId, ObjectNode definition) {
      return new Change(appId, definition, false, null);
    }

    static Change remove(String appId) {
      return new Change(appId, null, false, null);
    }
  }

  /** POST /v2/apps. */
  public CompletableFuture<WriteResult> create(ObjectNode body, boolean force) {
    engine.loop.assertInLoop();
    ObjectNode clean = AppNormalizer.clean(body);
    requireValid(AppValidator.validate(clean));
    String id = AppIds.canonical(clean.get("id").asText());
    if (engine.model.app(id) != null) {
      throw CommandException.conflict("A" + (engine.model.app(id).isPod() ? " pod" : "n app") + " with id [" + id
          + "] already exists.");
    }
    return deploy(List.of(Change.put(id, clean)), force, List.of());
  }

  /**
   * PUT or PATCH /v2/apps/{id}: with {@code partial} the body's fields replace the current ones (Marathon
   * 1.5's PUT, and PATCH); without, the body is the whole new definition. Creates the app when it does not
   * exist.
   */
  public CompletableFuture<WriteResult> update(String rawId, ObjectNode body, boolean partial, boolean force) {
    engine.loop.assertInLoop();
    Change change = updateChange(rawId, body, partial, "");
    return deploy(List.of(change), force, List.of());
  }

  /** PUT or PATCH /v2/apps with a list: every app in one deployment. Errors name the list index. */
  public CompletableFuture<WriteResult> updateAll(List<ObjectNode> bodies, boolean partial, boolean force) {
    engine.loop.assertInLoop();
    List<Change> changes = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < bodies.size(); i++) {
      ObjectNode body = bodies.get(i);
      JsonNode id = body.get("id");
      if (id == null || !id.isTextual()) {
        violations.add(new Violation("/" + i + "/id", "must be given: a list update names each app"));
        continue;
      }
      try {
        Change c = updateChange(id.asText(), body, partial, "/" + i);
        if (!seen.add(c.appId())) {
          violations.add(new Violation("/" + i + "/id", "app " + c.appId() + " is listed twice"));
        }
        changes.add(c);
      } catch (CommandException e) {
        if (e.kind() != CommandException.Kind.INVALID) {
          throw e;
        }
        violations.addAll(e.violations());
      }
    }
    requireValid(violations);
    return deploy(changes, force, List.of());
  }

  /** PUT /v2/apps/{id} with {"version": v}: back to a stored version (read by the caller, off the loop). */
  public CompletableFuture<WriteResult> revert(String rawId, AppDefinition stored, boolean force) {
    engine.loop.assertInLoop();
    String id = AppIds.canonical(rawId);
    ObjectNode definition = stored.toJson();
    definition.remove(List.of("version", "versionInfo"));
    return deploy(List.of(new Change(id, definition, false, stored)), force, List.of());
  }

  /** POST /v2/apps/{id}/restart: a new config version of the same definition, so every task is replaced. */
  public CompletableFuture<WriteResult> restart(String rawId, boolean force) {
    engine.loop.assertInLoop();
    AppDefinition current = existing(rawId);
    ObjectNode definition = current.toJson();
    definition.remove(List.of("version", "versionInfo"));
    return deploy(List.of(new Change(current.id(), definition, true, null)), force, List.of());
  }

  /** DELETE /v2/apps/{id}: the app is gone at once; its tasks are killed and its instances expunged as they end. */
  public CompletableFuture<WriteResult> delete(String rawId, boolean force) {
    engine.loop.assertInLoop();
    AppDefinition current = existing(rawId);
    return deploy(List.of(Change.remove(current.id())), force, List.of())
        .thenApply(r -> new WriteResult(current, r.deploymentId(), r.version(), false, List.of()));
  }

  /**
   * DELETE /v2/apps/{id}/tasks[/{taskId}]: kills the given tasks (all of the app's, or those on {@code host},
   * when {@code taskIds} is null). With {@code scale} the app's instance count drops by as many (a
   * deployment, locked like any other); without, each killed instance is replaced by a new one.
   */
  public CompletableFuture<WriteResult> killTasks(String rawId, Set<String> taskIds, String host, boolean scale,
      boolean force, boolean wipe) {
    engine.loop.assertInLoop();
    AppDefinition app = existing(rawId);
    String id = app.id();
    List<Instance> targets = new ArrayList<>();
    for (Instance i : engine.model.instancesOf(id)) {
      if (i.goal() == Goal.RUNNING && i.hasLiveTask() && (taskIds == null || taskIds.contains(i.taskId()))
          && (host == null || host.equals(i.task().host()))) {
        targets.add(i);
      }
    }
    if (taskIds != null && targets.size() < taskIds.size()) {
      for (String taskId : taskIds) {
        if (targets.stream().noneMatch(i -> taskId.equals(i.taskId()))) {
          throw CommandException.notFound("Task '" + taskId + "' does not exist");
        }
      }
    }
    OptionalDouble grace = app.taskKillGracePeriodSeconds().isPresent()
        ? OptionalDouble.of(app.taskKillGracePeriodSeconds().getAsInt()) : OptionalDouble.empty();
    List<Effect> kills = new ArrayList<>();
    targets.forEach(i -> AppPlanner.killOnRequest(i, scale, wipe, grace, kills));
    if (scale && !targets.isEmpty()) {
      ObjectNode json = app.toJson();
      json.remove(List.of("version", "versionInfo"));
      json.put("instances", Math.max(0, app.instances() - targets.size()));
      return deploy(List.of(Change.put(id, json)), force, kills)
          .thenApply(r -> new WriteResult(r.app(), r.deploymentId(), r.version(), false, targets));
    }
    Engine.Batch b = new Engine.Batch();
    engine.apply(b, kills);
    engine.apply(b, engine.replan(id));
    return engine.commit(b).thenApply(v -> new WriteResult(app, null, app.version(), false, targets));
  }

  /**
   * DELETE /v2/deployments/{id}: a new deployment that puts every app the given one affected back as it was
   * before it (apps it created are removed). The given deployment is cancelled.
   *
   * @param originals each affected app's definition before the deployment, read from the store by the
   *     caller; apps the deployment created are absent
   */
  public CompletableFuture<WriteResult> rollback(String deploymentId, Map<String, AppDefinition> originals) {
    engine.loop.assertInLoop();
    Deployment d = existingDeployment(deploymentId);
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, String> e : d.originalVersions().entrySet()) {
      String appId = e.getKey();
      AppDefinition original = originals.get(appId);
      if (e.getValue().isEmpty() || original == null) {
        if (engine.model.app(appId) != null) {
          changes.add(Change.remove(appId));
        }
      } else {
        ObjectNode definition = original.toJson();
        definition.remove(List.of("version", "versionInfo"));
        changes.add(new Change(appId, definition, false, original));
      }
    }
    return deploy(changes, true, List.of());
  }

  /** DELETE /v2/deployments/{id}?force=true: forget the deployment; its apps carry on towards their goal. */
  public CompletableFuture<Void> cancel(String deploymentId) {
    engine.loop.assertInLoop();
    Deployment d = existingDeployment(deploymentId);
    Engine.Batch b = new Engine.Batch();
    engine.deployments().cancel(d, b, "cancelled through the API");
    return engine.commit(b);
  }

  // ---------------------------------------------------------------- the one way to change apps

  /** A change checked and worked out, not applied yet. */
  record Prepared(String version, Map<String, AppDefinition> before, Map<String, AppDefinition> after,
      List<Deployment.Step> steps, List<Deployment> conflicts) {}

  CompletableFuture<WriteResult> deploy(List<Change> changes, boolean force, List<Effect> first) {
    Set<String> ids = new LinkedHashSet<>();
    changes.forEach(c -> ids.add(c.appId()));
    return deploy(prepare(changes, Map.of(), force, nextVersion(ids)), Map.of(), first);
  }

  /**
   * Validates the whole change against the current state and works out its plan, changing nothing: a
   * conflicting deployment is refused unless {@code force}; a dependency cycle is invalid.
   *
   * @param groupsAfter explicit groups the change creates, changes (new record) or removes (null)
   */
  Prepared prepare(List<Change> changes, Map<String, GroupRecord> groupsAfter, boolean force, String version) {
    ServiceModel model = engine.model;
    List<Deployment> conflicts = new ArrayList<>();
    for (Change c : changes) {
      Deployment d = model.deploymentOf(c.appId());
      if (d != null && !conflicts.contains(d)) {
        conflicts.add(d);
      }
    }
    if (!conflicts.isEmpty() && !force) {
      throw CommandException.locked(conflicts.stream().map(Deployment::id).toList());
    }
    Set<String> ids = new LinkedHashSet<>();
    changes.forEach(c -> ids.add(c.appId()));
    Map<String, AppDefinition> before = new LinkedHashMap<>();
    Map<String, AppDefinition> after = new LinkedHashMap<>();
    Set<Integer> taken = model.servicePortsTakenOutside(ids);
    for (Change c : changes) {
      AppDefinition current = model.app(c.appId());
      before.put(c.appId(), current);
      after.put(c.appId(), c.definition() == null ? null : stamped(c, current, version, taken));
    }
    try {
      List<Deployment.Step> steps = DeploymentPlanner.steps(before, after,
          new Dependencies(model, after, groupsAfter)::of);
      return new Prepared(version, before, after, steps, conflicts);
    } catch (DeploymentPlanner.CycleException e) {
      throw CommandException.invalid(List.of(new Violation("/dependencies", e.getMessage())));
    }
  }

  /**
   * Applies a prepared change as one deployment in one commit: conflicting deployments cancelled, new
   * definitions and groups stored, the plan stored, and every affected app re-planned (those held by a later
   * step stay as they are).
   *
   * @param first effects to apply before the planning (e.g. the kills of a scale-by-killing)
   */
  CompletableFuture<WriteResult> deploy(Prepared p, Map<String, GroupRecord> groupsAfter, List<Effect> first) {
    ServiceModel model = engine.model;
    Map<String, String> originalVersions = new LinkedHashMap<>();
    p.before().forEach((id, app) -> originalVersions.put(id, app == null ? "" : app.version()));
    Deployment deployment = new Deployment(Ids.uuid(), p.version(), engine.now(), p.steps(), 0, originalVersions);

    Engine.Batch b = new Engine.Batch();
    for (Deployment conflict : p.conflicts()) {
      engine.deployments().cancel(conflict, b, "overridden by deployment " + deployment.id() + " (force)");
    }
    if (!deployment.finished()) {
      engine.deployments().begin(deployment, b);
    }
    for (Map.Entry<String, AppDefinition> e : p.after().entrySet()) {
      AppDefinition was = p.before().get(e.getKey());
      if (e.getValue() == null) {
        engine.apply(b, List.of(new Effect.RemoveApp(e.getKey())));
      } else {
        engine.apply(b, List.of(new Effect.PutApp(e.getValue())));
        if (was == null || !e.getValue().configVersion().equals(was.configVersion())) {
          // A changed definition deserves a fresh start: forget the old config's failures.
          model.clearBackoff(e.getKey());
        }
      }
    }
    groupsAfter.forEach((id, g) -> engine.apply(b, List.of(g == null ? new Effect.RemoveGroup(id) : new Effect.PutGroup(g))));
    engine.apply(b, first);
    for (String id : p.before().keySet()) {
      engine.apply(b, engine.replan(id));
    }
    if (deployment.finished()) {
      // Nothing to do (e.g. a PUT of the same definition): Marathon still answers with a deployment.
      b.events.add(DeploymentEvents.info(deployment));
      b.events.add(DeploymentEvents.success(deployment));
    }
    AppDefinition result = p.after().values().stream().filter(a -> a != null).findFirst().orElse(null);
    boolean created = p.before().size() == 1 && p.before().values().iterator().next() == null;
    return engine.commit(b).thenApply(v -> new WriteResult(result, deployment.id(), p.version(), created, List.of()));
  }

  /** The stored form of one changed app: normalized, service ports assigned, stamped with the version. */
  private AppDefinition stamped(Change c, AppDefinition current, String version, Set<Integer> taken) {
    ObjectNode normalized;
    if (c.definition().has(PodApps.POD)) {
      // a pod's app-shaped form is derived complete (PodApps); pods have no service ports
      normalized = c.definition().deepCopy();
    } else {
      normalized = AppNormalizer.normalize(c.definition(), c.appId());
      try {
        normalized = AppNormalizer.assignServicePorts(normalized, taken,
            current == null ? List.of() : current.portDefinitions());
      } catch (IllegalStateException e) {
        throw CommandException.invalid(List.of(new Violation("/portDefinitions", e.getMessage())));
      }
    }
    AppDefinition probe = AppDefinition.of(AppNormalizer.stamp(normalized, version, version, version));
    for (PortDefinition p : probe.portDefinitions()) {
      taken.add(p.port());
    }
    boolean configChanged = current == null || c.restart() || !probe.sameConfig(current);
    String configVersion;
    if (!configChanged) {
      configVersion = current.configVersion();
    } else if (c.restoring() != null && probe.sameConfig(c.restoring())) {
      configVersion = c.restoring().configVersion();
    } else {
      configVersion = version;
    }
    return AppDefinition.of(AppNormalizer.stamp(normalized, version, version, configVersion));
  }

  private Change updateChange(String rawId, ObjectNode body, boolean partial, String pathPrefix) {
    String id;
    try {
      id = AppIds.canonical(rawId);
    } catch (IllegalArgumentException e) {
      throw CommandException.invalid(List.of(new Violation(pathPrefix + "/id", e.getMessage())));
    }
    ObjectNode clean = AppNormalizer.clean(body);
    JsonNode bodyId = clean.get("id");
    if (bodyId != null && (!bodyId.isTextual() || !id.equals(canonicalOrNull(bodyId.asText())))) {
      throw CommandException.invalid(List.of(new Violation(pathPrefix + "/id",
          "must match the app id in the URL (" + id + ")")));
    }
    AppDefinition current = engine.model.app(id);
    if (current != null && current.isPod()) {
      throw CommandException.conflict("A pod with id [" + id + "] already exists.");
    }
    ObjectNode candidate = current == null || !partial ? clean : AppNormalizer.merge(current.toJson(), clean);
    candidate.put("id", id);
    List<Violation> violations = new ArrayList<>();
    AppValidator.validate(candidate).forEach(v -> violations.add(new Violation(pathPrefix + v.path(), v.error())));
    requireValid(violations);
    return Change.put(id, candidate);
  }

  /** The loop clock's time, made later than the newest version of every app given, so versions stay unique. */
  String nextVersion(Collection<String> appIds) {
    Instant now = engine.now().truncatedTo(ChronoUnit.MILLIS);
    for (String appId : appIds) {
      List<String> versions = engine.model.versions(appId);
      if (!versions.isEmpty()) {
        Instant last = Timestamps.parse(versions.get(versions.size() - 1));
        if (!now.isAfter(last)) {
          now = last.plusMillis(1);
        }
      }
    }
    return Timestamps.format(now);
  }

  private Deployment existingDeployment(String id) {
    Deployment d = engine.model.deployment(id);
    if (d == null) {
      throw CommandException.notFound("DeploymentPlan " + id + " does not exist");
    }
    return d;
  }

  private AppDefinition existing(String rawId) {
    String id = canonicalOrNull(rawId);
    AppDefinition app = id == null ? null : engine.model.app(id);
    if (app == null || app.isPod()) {
      throw CommandException.notFound("App '" + (id == null ? rawId : id) + "' does not exist");
    }
    return app;
  }

  static String canonicalOrNull(String raw) {
    try {
      return AppIds.canonical(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static void requireValid(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw CommandException.invalid(violations);
    }
  }
}

package dev.corral.services.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Ids;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.app.AppValidator;
import dev.corral.services.app.Timestamps;
import dev.corral.services.app.Violation;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The API's writes. Each one validates against the current state first and throws
 * {@link CommandException} before touching anything, so a refused request changes nothing; an accepted one
 * becomes effects (the app, its version, its instances' goals) in one commit, and its future completes when
 * that commit is durable. Runs on the event loop.
 */
public final class AppCommands {
  private final Engine engine;

  AppCommands(Engine engine) {
    this.engine = engine;
  }

  /** POST /v2/apps. */
  public CompletableFuture<WriteResult> create(ObjectNode body) {
    engine.loop.assertInLoop();
    ObjectNode clean = AppNormalizer.clean(body);
    requireValid(AppValidator.validate(clean));
    String id = AppIds.canonical(clean.get("id").asText());
    if (engine.model.app(id) != null) {
      throw CommandException.conflict("An app with id [" + id + "] already exists.");
    }
    return store(id, clean, null, false);
  }

  /** PUT /v2/apps/{id}: a partial update (Marathon 1.5); creates the app when it does not exist. */
  public CompletableFuture<WriteResult> update(String rawId, ObjectNode body) {
    engine.loop.assertInLoop();
    String id;
    try {
      id = AppIds.canonical(rawId);
    } catch (IllegalArgumentException e) {
      throw CommandException.invalid(List.of(new Violation("/id", e.getMessage())));
    }
    ObjectNode clean = AppNormalizer.clean(body);
    JsonNode bodyId = clean.get("id");
    if (bodyId != null) {
      if (!bodyId.isTextual() || !id.equals(canonicalOrNull(bodyId.asText()))) {
        throw CommandException.invalid(List.of(new Violation("/id", "must match the app id in the URL (" + id + ")")));
      }
    }
    AppDefinition current = engine.model.app(id);
    ObjectNode candidate = current == null ? clean : AppNormalizer.merge(current.toJson(), clean);
    candidate.put("id", id);
    requireValid(AppValidator.validate(candidate));
    return store(id, candidate, current, false);
  }

  /** POST /v2/apps/{id}/restart: a new config version of the same definition, so every task is replaced. */
  public CompletableFuture<WriteResult> restart(String rawId) {
    engine.loop.assertInLoop();
    AppDefinition current = existing(rawId);
    return store(current.id(), current.toJson(), current, true);
  }

  /** DELETE /v2/apps/{id}: the app is gone at once; its tasks are killed and its instances expunged as they end. */
  public CompletableFuture<WriteResult> delete(String rawId) {
    engine.loop.assertInLoop();
    AppDefinition current = existing(rawId);
    String id = current.id();
    String version = nextVersion(id);
    Engine.Batch b = new Engine.Batch();
    engine.apply(b, List.of(new Effect.RemoveApp(id)));
    engine.apply(b, AppPlanner.plan(id, current, true, engine.model.instancesOf(id), engine.now(),
        () -> Engine.newInstanceId(id)));
    Deployment d = deployment(id, version, "StopApplication");
    return engine.commit(b).thenApply(v -> new WriteResult(current, d.id(), version, false, List.of()));
  }

  /**
   * DELETE /v2/apps/{id}/tasks[/{taskId}]: kills the given tasks (all of the app's, or those on {@code host},
   * when {@code taskIds} is null). With {@code scale} the app's instance count drops by as many; without, each
   * killed instance is replaced by a new one.
   */
  public CompletableFuture<WriteResult> killTasks(String rawId, Set<String> taskIds, String host, boolean scale) {
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
    Engine.Batch b = new Engine.Batch();
    AppDefinition after = app;
    String deploymentId = null;
    String version = app.version();
    if (scale && !targets.isEmpty()) {
      version = nextVersion(id);
      ObjectNode json = app.toJson();
      json.put("instances", Math.max(0, app.instances() - targets.size()));
      after = AppDefinition.of(AppNormalizer.stamp(json, version, version, app.configVersion()));
      engine.apply(b, List.of(new Effect.PutApp(after)));
      deploymentId = deployment(id, version, "ScaleApplication").id();
    }
    OptionalDouble grace = app.taskKillGracePeriodSeconds().isPresent()
        ? OptionalDouble.of(app.taskKillGracePeriodSeconds().getAsInt()) : OptionalDouble.empty();
    List<Effect> effects = new ArrayList<>();
    targets.forEach(i -> AppPlanner.decommission(i, grace, effects));
    engine.apply(b, effects);
    engine.apply(b, engine.replan(id));
    AppDefinition result = after;
    String resultVersion = version;
    String resultDeployment = deploymentId;
    return engine.commit(b).thenApply(v -> new WriteResult(result, resultDeployment, resultVersion, false, targets));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Normalizes, stamps and stores a valid definition, plans its instances, and opens a deployment.
   *
   * @param current the app's definition before the write; null when it is created
   * @param restart whether to replace every task even if nothing but the version changed
   */
  private CompletableFuture<WriteResult> store(String id, ObjectNode valid, AppDefinition current, boolean restart) {
    ObjectNode normalized = AppNormalizer.normalize(valid, id);
    try {
      normalized = AppNormalizer.assignServicePorts(normalized, engine.model.servicePortsTaken(id),
          current == null ? List.of() : current.portDefinitions());
    } catch (IllegalStateException e) {
      throw CommandException.invalid(List.of(new Violation("/portDefinitions", e.getMessage())));
    }
    String version = nextVersion(id);
    AppDefinition probe = AppDefinition.of(AppNormalizer.stamp(normalized, version, version, version));
    boolean configChanged = current == null || restart || !probe.sameConfig(current);
    String configVersion = configChanged ? version : current.configVersion();
    AppDefinition app = AppDefinition.of(AppNormalizer.stamp(normalized, version, version, configVersion));
    Engine.Batch b = new Engine.Batch();
    engine.apply(b, List.of(new Effect.PutApp(app)));
    // A changed definition deserves a fresh start: forget the old config's failures.
    engine.model.clearBackoff(id);
    engine.apply(b, engine.replan(id));
    String action = current == null ? "StartApplication" : configChanged ? "RestartApplication" : "ScaleApplication";
    Deployment d = deployment(id, version, action);
    boolean created = current == null;
    return engine.commit(b).thenApply(v -> new WriteResult(app, d.id(), version, created, List.of()));
  }

  private Deployment deployment(String appId, String version, String action) {
    Deployment d = new Deployment(Ids.uuid(), version, appId, action, engine.now());
    engine.model.putDeployment(d);
    return d;
  }

  /** The loop clock's time, made later than the app's newest version so that versions stay unique. */
  private String nextVersion(String appId) {
    Instant now = engine.now().truncatedTo(ChronoUnit.MILLIS);
    List<String> versions = engine.model.versions(appId);
    if (!versions.isEmpty()) {
      Instant last = Timestamps.parse(versions.get(versions.size() - 1));
      if (!now.isAfter(last)) {
        now = last.plusMillis(1);
      }
    }
    return Timestamps.format(now);
  }

  private AppDefinition existing(String rawId) {
    String id = canonicalOrNull(rawId);
    AppDefinition app = id == null ? null : engine.model.app(id);
    if (app == null) {
      throw CommandException.notFound("App '" + (id == null ? rawId : id) + "' does not exist");
    }
    return app;
  }

  private static String canonicalOrNull(String raw) {
    try {
      return AppIds.canonical(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void requireValid(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw CommandException.invalid(violations);
    }
  }
}

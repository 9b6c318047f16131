package dev.corral.services.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.app.Violation;
import dev.corral.services.engine.AppCommands.Change;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.pod.PodApps;
import dev.corral.services.pod.PodValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The writes of {@code /v2/pods}. A pod is kept in its app-shaped form ({@link PodApps}), so it takes part in
 * deployments exactly as an app does: one stored plan per write, locked while it runs (409 unless
 * {@code force}), rolled back by deleting the deployment. Runs on the event loop; validation happens before
 * anything changes.
 */
public final class PodCommands {
  private final Engine engine;

  PodCommands(Engine engine) {
    this.engine = engine;
  }

  /** POST /v2/pods. */
  public CompletableFuture<WriteResult> create(ObjectNode body, boolean force) {
    engine.loop.assertInLoop();
    AppCommands.requireValid(PodValidator.validate(body));
    String id = AppIds.canonical(body.get("id").asText());
    AppDefinition existing = engine.model.app(id);
    if (existing != null) {
      throw CommandException.conflict("A" + (existing.isPod() ? " pod" : "n app") + " with id [" + id
          + "] already exists.");
    }
    if (engine.model.groupExists(id)) {
      throw CommandException.conflict("A group with id [" + id + "] already exists.");
    }
    return engine.commands().deploy(List.of(Change.put(id, PodApps.toApp(body, id))), force, List.of());
  }

  /** PUT /v2/pods/{id}: the body is the whole new definition; creates the pod when it does not exist. */
  public CompletableFuture<WriteResult> update(String rawId, ObjectNode body, boolean force) {
    engine.loop.assertInLoop();
    String id = canonical(rawId);
    JsonNode bodyId = body.get("id");
    if (bodyId != null && !bodyId.isNull()
        && (!bodyId.isTextual() || !id.equals(AppCommands.canonicalOrNull(bodyId.asText())))) {
      throw CommandException.invalid(List.of(new Violation("/id", "must match the pod id in the URL (" + id + ")")));
    }
    ObjectNode candidate = body.deepCopy();
    candidate.put("id", id);
    AppCommands.requireValid(PodValidator.validate(candidate));
    AppDefinition current = engine.model.app(id);
    if (current != null && !current.isPod()) {
      throw CommandException.conflict("An app with id [" + id + "] already exists.");
    }
    return engine.commands().deploy(List.of(Change.put(id, PodApps.toApp(candidate, id))), force, List.of());
  }

  /** PUT /v2/pods/{id} back to a stored version (read by the caller, off the loop). */
  public CompletableFuture<WriteResult> revert(String rawId, AppDefinition stored, boolean force) {
    engine.loop.assertInLoop();
    existing(rawId);
    ObjectNode definition = stored.toJson();
    definition.remove(List.of("version", "versionInfo"));
    return engine.commands().deploy(List.of(new Change(stored.id(), definition, false, stored)), force, List.of());
  }

  /** DELETE /v2/pods/{id}: the pod is gone at once; its instances are killed and expunged as they end. */
  public CompletableFuture<WriteResult> delete(String rawId, boolean force) {
    engine.loop.assertInLoop();
    AppDefinition current = existing(rawId);
    return engine.commands().deploy(List.of(Change.remove(current.id())), force, List.of())
        .thenApply(r -> new WriteResult(current, r.deploymentId(), r.version(), false, List.of()));
  }

  /**
   * DELETE /v2/pods/{id}::instances[/{instanceId}]: kills the given instances (all with {@code instanceIds}
   * null) as wholes; the pod keeps its instance count, so each is replaced by a new one (a resident one
   * relaunches on its volumes, unless {@code wipe}).
   */
  public CompletableFuture<WriteResult> killInstances(String rawId, Set<String> instanceIds, boolean wipe) {
    engine.loop.assertInLoop();
    AppDefinition pod = existing(rawId);
    List<Instance> targets = new ArrayList<>();
    for (Instance i : engine.model.instancesOf(pod.id())) {
      if (i.goal() == Goal.RUNNING && (instanceIds == null || instanceIds.contains(i.id()))) {
        targets.add(i);
      }
    }
    if (instanceIds != null) {
      for (String id : instanceIds) {
        if (targets.stream().noneMatch(i -> i.id().equals(id))) {
          throw CommandException.notFound("Instance '" + id + "' of pod '" + pod.id() + "' does not exist");
        }
      }
    }
    OptionalDouble grace = pod.taskKillGracePeriodSeconds().isPresent()
        ? OptionalDouble.of(pod.taskKillGracePeriodSeconds().getAsInt()) : OptionalDouble.empty();
    List<Effect> kills = new ArrayList<>();
    targets.forEach(i -> AppPlanner.killOnRequest(i, false, wipe, grace, kills));
    Engine.Batch b = new Engine.Batch();
    engine.apply(b, kills);
    engine.apply(b, engine.replan(pod.id()));
    return engine.commit(b).thenApply(v -> new WriteResult(pod, null, pod.version(), false, targets));
  }

  private AppDefinition existing(String rawId) {
    String id = AppCommands.canonicalOrNull(rawId);
    AppDefinition pod = id == null ? null : engine.model.app(id);
    if (pod == null || !pod.isPod()) {
      throw CommandException.notFound("Pod '" + (id == null ? rawId : id) + "' does not exist");
    }
    return pod;
  }

  private static String canonical(String rawId) {
    try {
      return AppIds.canonical(rawId);
    } catch (IllegalArgumentException e) {
      throw CommandException.invalid(List.of(new Violation("/id", e.getMessage())));
    }
  }
}

package dev.corral.services.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.app.GroupDefinition;
import dev.corral.services.app.Violation;
import dev.corral.services.engine.AppCommands.Change;
import dev.corral.services.events.MarathonEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes to groups (/v2/groups): create, replace, scale, revert and delete a group with everything in it,
 * each as one deployment through {@link AppCommands}. Runs on the event loop; refuses before changing
 * anything, like the app commands.
 */
public final class GroupCommands {
  private final Engine engine;

  GroupCommands(Engine engine) {
    this.engine = engine;
  }

  /** The answer to a group write: the deployment, or with {@code dryRun} only its steps. */
  public record Result(WriteResult write, List<Deployment.Step> plannedSteps) {}

  /** POST /v2/groups[/{parent}]: a new group; 409 when it exists. */
  public CompletableFuture<Result> create(String parent, ObjectNode body, boolean force) {
    engine.loop.assertInLoop();
    String id;
    try {
      id = GroupDefinition.resolveId(parent == null ? "/" : canonicalGroup(parent), body.get("id"));
    } catch (IllegalArgumentException e) {
      throw CommandException.invalid(List.of(new Violation("/id", e.getMessage())));
    }
    if (engine.model.groupExists(id)) {
      throw CommandException.conflict("Group " + id + " is already created. Use PUT to change this group.");
    }
    return replace(id, body, force, false);
  }

  /**
   * PUT /v2/groups/{id}: {@code {"scaleBy": f}} scales every app in it; otherwise the body is the group's new
   * content: apps and groups it lists are created or replaced, those it leaves out are removed.
   */
  public CompletableFuture<Result> update(String rawId, ObjectNode body, boolean force, boolean dryRun) {
    engine.loop.assertInLoop();
    String id = canonicalGroup(rawId);
    JsonNode scaleBy = body.get("scaleBy");
    if (scaleBy != null && !scaleBy.isNull()) {
      if (!scaleBy.isNumber() || scaleBy.asDouble() < 0) {
        throw CommandException.invalid(List.of(new Violation("/scaleBy", "must be a number >= 0")));
      }
      return scale(id, scaleBy.asDouble(), force, dryRun);
    }
    return replace(id, body, force, dryRun);
  }

  /**
   * PUT /v2/groups/{id} with {@code {"version": v}}: every app in the group back to the definition it had
   * at that version (read by the caller); apps that did not exist then are removed.
   */
  public CompletableFuture<Result> revert(String rawId, Map<String, AppDefinition> atVersion, boolean force) {
    engine.loop.assertInLoop();
    String id = canonicalGroup(rawId);
    List<Change> changes = new ArrayList<>();
    for (String appId : engine.model.appIdsUnder(id)) {
      if (!atVersion.containsKey(appId)) {
        changes.add(Change.remove(appId));
      }
    }
    atVersion.forEach((appId, app) -> {
      ObjectNode definition = app.toJson();
      definition.remove(List.of("version", "versionInfo"));
      changes.add(new Change(appId, definition, false, app));
    });
    return run(id, changes, Map.of(), force, false);
  }

  /** DELETE /v2/groups/{id}: the group, its subgroups and all their apps. */
  public CompletableFuture<Result> delete(String rawId, boolean force) {
    engine.loop.assertInLoop();
    String id = canonicalGroup(rawId);
    if (!engine.model.groupExists(id)) {
      throw CommandException.notFound("Group '" + id + "' does not exist");
    }
    List<Change> changes = new ArrayList<>();
    engine.model.appIdsUnder(id).forEach(appId -> changes.add(Change.remove(appId)));
    Map<String, GroupRecord> groups = new LinkedHashMap<>();
    engine.model.groupIdsUnder(id).forEach(g -> groups.put(g, null));
    if (engine.model.group(id) != null) {
      groups.put(id, null);
    }
    return run(id, changes, groups, force, false);
  }

  private CompletableFuture<Result> scale(String id, double factor, boolean force, boolean dryRun) {
    if (!engine.model.groupExists(id)) {
      throw CommandException.notFound("Group '" + id + "' does not exist");
    }
    List<Change> changes = new ArrayList<>();
    for (String appId : engine.model.appIdsUnder(id)) {
      AppDefinition app = engine.model.app(appId);
      ObjectNode definition = app.toJson();
      definition.remove(List.of("version", "versionInfo"));
      definition.put("instances", (int) Math.ceil(app.instances() * factor - 1e-9));
      changes.add(Change.put(appId, definition));
    }
    return run(id, changes, Map.of(), force, dryRun);
  }

  private CompletableFuture<Result> replace(String id, ObjectNode body, boolean force, boolean dryRun) {
    if (body.hasNonNull("id") && !namesGroup(body.get("id"), id)) {
      throw CommandException.invalid(List.of(new Violation("/id", "must match the group id in the URL (" + id + ")")));
    }
    GroupDefinition group = GroupDefinition.parse(body, id);
    List<Violation> violations = new ArrayList<>(group.violations());
    ServiceModel model = engine.model;
    for (String appId : group.apps().keySet()) {
      if (model.groupExists(appId) && model.app(appId) == null && !group.groups().containsKey(appId)) {
        violations.add(new Violation("/apps", "app " + appId + " has the id of an existing group"));
      }
    }
    for (String groupId : group.groups().keySet()) {
      if (model.app(groupId) != null && !group.apps().containsKey(groupId)) {
        violations.add(new Violation("/groups", "group " + groupId + " has the id of an existing app"));
      }
    }
    AppCommands.requireValid(violations);
    List<Change> changes = new ArrayList<>();
    for (String appId : model.appIdsUnder(id)) {
      // pods are changed through /v2/pods: a group body's apps leave them alone
      if (!group.apps().containsKey(appId) && !model.app(appId).isPod()) {
        changes.add(Change.remove(appId));
      }
    }
    group.apps().forEach((appId, definition) -> changes.add(Change.put(appId, definition)));
    Map<String, GroupRecord> groups = new LinkedHashMap<>();
    for (String g : model.groupIdsUnder(id)) {
      if (!group.groups().containsKey(g)) {
        groups.put(g, null);
      }
    }
    String version = engine.commands().nextVersion(ids(changes));
    group.groups().forEach((g, deps) -> groups.put(g, new GroupRecord(g, deps, version)));
    return run(id, changes, groups, force, dryRun, version);
  }

  /** Whether a body's id names the group: absolute, or relative to its parent group. */
  private static boolean namesGroup(JsonNode bodyId, String id) {
    try {
      return GroupDefinition.resolveId(AppIds.parent(id), bodyId).equals(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private CompletableFuture<Result> run(String groupId, List<Change> changes, Map<String, GroupRecord> groups,
      boolean force, boolean dryRun) {
    return run(groupId, changes, groups, force, dryRun, engine.commands().nextVersion(ids(changes)));
  }

  private CompletableFuture<Result> run(String groupId, List<Change> changes, Map<String, GroupRecord> groups,
      boolean force, boolean dryRun, String version) {
    AppCommands commands = engine.commands();
    AppCommands.Prepared prepared = commands.prepare(changes, groups, force || dryRun, version);
    if (dryRun) {
      return CompletableFuture.completedFuture(new Result(null, prepared.steps()));
    }
    return commands.deploy(prepared, groups, List.of()).thenApply(w -> {
      engine.events().publish(MarathonEvents.groupChangeSuccess(groupId, version));
      return new Result(w, prepared.steps());
    });
  }

  private static List<String> ids(List<Change> changes) {
    return changes.stream().map(Change::appId).toList();
  }

  /** A group id from a URL: "/" for the root, else canonical; 404 when it cannot be one. */
  static String canonicalGroup(String raw) {
    if (raw == null || raw.isBlank() || raw.equals("/")) {
      return "/";
    }
    try {
      return AppIds.canonical(raw);
    } catch (IllegalArgumentException e) {
      throw CommandException.notFound("Group '" + raw + "' does not exist");
    }
  }
}

package dev.corral.services.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One change to one or more apps, carried out as a plan of steps. Hard state: stored when the change is
 * accepted (in the same commit as the new definitions) and after every finished step, so a restarted
 * scheduler resumes at the step it was on.
 *
 * <p>Steps run one after the other; the actions of a step run together. An app with a {@code Scale},
 * {@code Restart} or {@code Stop} action in a later step is <em>held</em>: the planner leaves its instances
 * alone until that step starts. That is how {@code dependencies} order a group's changes.
 *
 * @param originalVersions for each affected app, the version it had before the change ("" when the change
 *     created it): what a rollback goes back to
 * @param currentStep index of the step being carried out (0-based; equal to the number of steps when done)
 */
public record Deployment(String id, String version, Instant startedAt, List<Step> steps, int currentStep,
    Map<String, String> originalVersions) {

  /** Marathon's action names. */
  public enum Action {
    StartApplication, StopApplication, ScaleApplication, RestartApplication,
    StartPod, StopPod, ScalePod, RestartPod;

    /** Whether the planner may act on the app once this action's step starts (Start only creates it). */
    boolean releases() {
      return this != StartApplication && this != StartPod;
    }

    /** Whether the action is a pod's (Marathon names the target {@code pod} rather than {@code app}). */
    public boolean pod() {
      return this == StartPod || this == StopPod || this == ScalePod || this == RestartPod;
    }

    /** The same action for a pod (or an app). */
    Action forPod(boolean pod) {
      if (!pod) {
        return this;
      }
      switch (this) {
        case StartApplication: return StartPod;
        case StopApplication: return StopPod;
        case ScaleApplication: return ScalePod;
        case RestartApplication: return RestartPod;
        default: return this;
      }
    }
  }

  public record AppAction(Action action, String appId) {}

  public record Step(List<AppAction> actions) {
    public Step {
      actions = List.copyOf(actions);
    }
  }

  public Deployment {
    steps = List.copyOf(steps);
    originalVersions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(originalVersions));
  }

  /** The ids the plan touches, split as Marathon shows them: {@code affectedApps}, or with {@code pods} {@code affectedPods}. */
  public Set<String> affected(boolean pods) {
    Set<String> out = new LinkedHashSet<>();
    for (Step s : steps) {
      for (AppAction a : s.actions()) {
        if (a.action().pod() == pods) {
          out.add(a.appId());
        }
      }
    }
    return out;
  }

  /** Every app the plan touches, in plan order. */
  public Set<String> affectedApps() {
    Set<String> out = new LinkedHashSet<>();
    for (Step s : steps) {
      s.actions().forEach(a -> out.add(a.appId()));
    }
    return out;
  }

  public List<AppAction> currentActions() {
    return currentStep < steps.size() ? steps.get(currentStep).actions() : List.of();
  }

  public boolean finished() {
    return currentStep >= steps.size();
  }

  /** Whether the planner must leave the app alone: its releasing action is in a step not started yet. */
  public boolean holds(String appId) {
    for (int i = currentStep; i < steps.size(); i++) {
      for (AppAction a : steps.get(i).actions()) {
        if (a.appId().equals(appId) && a.action().releases()) {
          return i > currentStep;
        }
      }
    }
    return false;
  }

  public Deployment advance() {
    return new Deployment(id, version, startedAt, steps, currentStep + 1, originalVersions);
  }

  // ---------------------------------------------------------------- stored form

  public byte[] toBytes() {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", id).put("version", version).put("startedAt", Timestamps.format(startedAt))
        .put("currentStep", currentStep);
    ArrayNode stepsNode = n.putArray("steps");
    for (Step s : steps) {
      ArrayNode actions = stepsNode.addArray();
      s.actions().forEach(a -> actions.addObject().put("action", a.action().name()).put("app", a.appId()));
    }
    ObjectNode original = n.putObject("originalVersions");
    originalVersions.forEach(original::put);
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Deployment fromBytes(byte[] data) {
    try {
      JsonNode n = Json.mapper().readTree(data);
      List<Step> steps = new ArrayList<>();
      for (JsonNode s : n.path("steps")) {
        List<AppAction> actions = new ArrayList<>();
        s.forEach(a -> actions.add(new AppAction(Action.valueOf(a.path("action").asText()), a.path("app").asText())));
        steps.add(new Step(actions));
      }
      Map<String, String> original = new LinkedHashMap<>();
      n.path("originalVersions").fields().forEachRemaining(e -> original.put(e.getKey(), e.getValue().asText()));
      return new Deployment(n.path("id").asText(), n.path("version").asText(),
          Timestamps.parse(n.path("startedAt").asText()), steps, n.path("currentStep").asInt(), original);
    } catch (IOException e) {
      throw new UncheckedIOException("stored deployment is not valid JSON", e);
    }
  }
}

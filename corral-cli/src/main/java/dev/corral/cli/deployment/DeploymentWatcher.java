package dev.corral.cli.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.EventStream;
import dev.corral.cli.http.ServerSentEvent;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follows one deployment until it is over, showing a progress line per step.
 *
 * <p>It listens to Marathon's event stream ({@code GET /v2/events} with {@code Accept: text/event-stream},
 * deployment events only), which is the only place that says whether a deployment succeeded or failed. A
 * server without the stream is polled ({@code GET /v2/deployments} once per poll interval) until the
 * deployment leaves the list; that says it is over but not how, so it is reported as finished. When the stream
 * stays quiet for a while the list is checked too, and when the stream ends the watch goes on by polling.
 *
 * <p>One watcher per deployment; not thread-safe.
 */
public final class DeploymentWatcher {
  static final String EVENTS_PATH = "/v2/events?event_type=deployment_info&event_type=deployment_step_success"
      + "&event_type=deployment_step_failure&event_type=deployment_success&event_type=deployment_failed";
  // Deployment events are few; the bound only matters if the server ignores the event_type filter.
  private static final int QUEUE_CAPACITY = 1024;

  private final ApiClient api;
  private final WatchSettings settings;
  private final ProgressLine line;
  private final Set<String> apps = new LinkedHashSet<>();
  private final Set<String> pods = new LinkedHashSet<>();
  private String id;
  private boolean seen;
  private int stepsDone;

  /**
   * @param out where progress goes (stdout)
   * @param quiet show no progress (for {@code --json}); the outcome still decides the exit code
   */
  public DeploymentWatcher(ApiClient api, WatchSettings settings, PrintWriter out, boolean quiet) {
    this.api = api;
    this.settings = settings;
    this.line = ProgressLine.of(out, settings.terminal(), quiet);
  }

  /**
   * Returns once deployment {@code deploymentId} is no longer in progress.
   *
   * @param started true when the caller knows the deployment was started (a write just named it): if it is
   *     already gone, it finished; otherwise an unlisted id is only reported as not in progress
   * @throws DeploymentFailedException when the server reported that it failed
   */
  public void follow(String deploymentId, boolean started) {
    this.id = deploymentId;
    this.seen = started;
    try {
      Optional<EventStream> stream = api.events(EVENTS_PATH);
      if (stream.isEmpty()) {
        poll();
        return;
      }
      try (EventPump pump = EventPump.start(stream.get(), QUEUE_CAPACITY)) {
        listen(pump);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      line.end();
      throw new IllegalStateException("interrupted while watching deployment " + id, e);
    }
  }

  private void listen(EventPump pump) throws InterruptedException {
    // Attached first, listed second: a deployment that ends in between is either gone from the list or its
    // end is in the queue, never missed.
    if (!showFromList()) {
      over(pump);
      return;
    }
    while (true) {
      ServerSentEvent event = pump.next(settings.recheckInterval());
      if (event == EventPump.END) {
        poll();
        return;
      }
      if (event == null) {
        if (!showFromList()) {
          over(pump);
          return;
        }
      } else if (handle(event)) {
        return;
      }
    }
  }

  private void poll() throws InterruptedException {
    while (showFromList()) {
      settings.sleeper().sleep(settings.pollInterval());
    }
    finished();
  }

  /** The deployment left the list: its end event may already be queued; otherwise say it is over. */
  private void over(EventPump pump) {
    for (ServerSentEvent event = pump.poll(); event != null && event != EventPump.END; event = pump.poll()) {
      if (handle(event)) {
        return;
      }
    }
    finished();
  }

  private void finished() {
    line.finish("Deployment " + id + (seen ? " finished" : " is not in progress"));
  }

  /** Shows the deployment as {@code /v2/deployments} has it; false when it is not listed (any more). */
  private boolean showFromList() {
    Optional<JsonNode> deployment = Deployments.find(api.get(Deployments.LIST_PATH).json(), id);
    if (deployment.isEmpty()) {
      return false;
    }
    seen = true;
    deployment.get().path("affectedApps").forEach(a -> apps.add(a.asText()));
    deployment.get().path("affectedPods").forEach(p -> pods.add(p.asText()));
    line.show("Deployment " + id + ": " + Deployments.progress(deployment.get()));
    return true;
  }

  /** Applies one event; true when it ended the deployment (success; failure throws). */
  private boolean handle(ServerSentEvent event) {
    JsonNode data;
    try {
      data = Json.mapper().readTree(event.data());
    } catch (JsonProcessingException e) {
      return false; // not ours to judge; a broken event must not end a watch
    }
    if (data == null || !data.isObject()) {
      return false;
    }
    JsonNode plan = data.path("plan");
    String eventId = data.path("id").asText(plan.path("id").asText(""));
    if (!eventId.equals(id)) {
      return false;
    }
    seen = true;
    collectTargets(plan.path("steps"));
    String type = data.path("eventType").asText(event.type());
    JsonNode step = data.path("currentStep");
    switch (type) {
      case "deployment_info" -> line.show(stepLine(plan, step, stepNumber(plan, step), ""));
      case "deployment_step_success" -> {
        stepsDone = stepNumber(plan, step);
        line.show(stepLine(plan, step, stepsDone, " done"));
      }
      case "deployment_step_failure" -> line.show(stepLine(plan, step, stepNumber(plan, step), " failed"));
      case "deployment_success" -> {
        line.finish("Deployment " + id + " finished");
        return true;
      }
      case "deployment_failed" -> {
        line.end();
        throw failure(data);
      }
      default -> { }
    }
    return false;
  }

  /**
   * The step's place in the plan, counted from 1. Events of servers whose steps do not compare equal to the
   * plan's fall back to counting: the step after the last one that succeeded.
   */
  private int stepNumber(JsonNode plan, JsonNode step) {
    JsonNode steps = plan.path("steps");
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).equals(step)) {
        return i + 1;
      }
    }
    return stepsDone + 1;
  }

  /** {@code Deployment ID: step 2/3 RestartApplication /web done}. */
  private String stepLine(JsonNode plan, JsonNode step, int number, String suffix) {
    JsonNode steps = plan.path("steps");
    String total = steps.size() > 0 ? String.valueOf(steps.size()) : "?";
    String actions = Deployments.actions(step.path("actions"));
    return "Deployment " + id + ": step " + number + "/" + total + (actions.isEmpty() ? "" : " " + actions)
        + suffix;
  }

  private void collectTargets(JsonNode steps) {
    for (JsonNode step : steps) {
      // Marathon's own documentation shows both step shapes: {"actions": [...]} and a bare action.
      JsonNode actions = step.has("actions") ? step.path("actions") : Json.mapper().createArrayNode().add(step);
      for (JsonNode action : actions) {
        if (action.path("app").isTextual()) {
          apps.add(action.path("app").asText());
        } else if (action.path("pod").isTextual()) {
          pods.add(action.path("pod").asText());
        }
      }
    }
  }

  private DeploymentFailedException failure(JsonNode data) {
    String reason = data.path("reason").asText(data.path("message").asText("")).strip();
    List<String> hints = new ArrayList<>();
    apps.forEach(app -> hints.add("see why: corral app show " + app));
    pods.forEach(pod -> hints.add("see why: corral pod status " + pod));
    return new DeploymentFailedException(
        "deployment " + id + " failed" + (reason.isEmpty() ? "" : ": " + reason), hints);
  }
}

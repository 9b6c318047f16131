package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Backoff;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.placement.OfferStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of the scheduler's state, taken on the event loop and read anywhere (the HTTP
 * threads render it). Apps are sorted by id; each app's instances are in creation order.
 *
 * @param now the loop clock's time when the snapshot was taken
 * @param frameworkId "" before the first subscription
 */
public record ServicesView(Instant now, String frameworkId, boolean subscribed, Map<String, AppDefinition> apps,
    Map<String, List<Instance>> instances, Map<String, TaskFailure> failures, Map<String, Backoff> backoffs,
    Map<String, OfferStats> offerStats, Map<String, Deployment> deployments, Map<String, List<String>> versions,
    Map<String, String> deploymentByApp, Map<String, GroupRecord> groups) {

  public ServicesView {
    apps = Collections.unmodifiableMap(new TreeMap<>(apps));
    instances = Map.copyOf(instances);
    failures = Map.copyOf(failures);
    backoffs = Map.copyOf(backoffs);
    offerStats = Map.copyOf(offerStats);
    deployments = Map.copyOf(deployments);
    versions = Map.copyOf(versions);
    deploymentByApp = Map.copyOf(deploymentByApp);
    groups = Collections.unmodifiableMap(new TreeMap<>(groups));
  }

  /** The running deployment that affects the app; null when none does. */
  public Deployment deploymentOf(String appId) {
    String id = deploymentByApp.get(appId);
    return id == null ? null : deployments.get(id);
  }

  public List<Instance> instancesOf(String appId) {
    return instances.getOrDefault(appId, List.of());
  }

  /** Instances of the app that wait for a task (goal RUNNING, SCHEDULED). */
  public List<Instance> waiting(String appId) {
    List<Instance> out = new ArrayList<>();
    for (Instance i : instancesOf(appId)) {
      if (i.isWaiting()) {
        out.add(i);
      }
    }
    return out;
  }

  public Backoff backoff(String appId) {
    return backoffs.getOrDefault(appId, Backoff.NONE);
  }

  public OfferStats offerStats(String appId) {
    return offerStats.getOrDefault(appId, OfferStats.EMPTY);
  }

  /**
   * Why the app's waiting instances are not running yet, in plain words; null when none waits. The most
   * fundamental reason comes first: an unsupported field, then backoff, then what the last offers lacked.
   */
  public String waitingReason(String appId) {
    AppDefinition app = apps.get(appId);
    if (app == null || waiting(appId).isEmpty()) {
      return null;
    }
    List<String> unsupported = app.unsupportedReasons();
    if (!unsupported.isEmpty()) {
      return String.join("; ", unsupported);
    }
    Backoff backoff = backoff(appId);
    if (backoff.delayed(now)) {
      Duration left = backoff.timeLeft(now);
      return "launch delayed by backoff after " + backoff.failures() + " consecutive task failure(s); next attempt in "
          + Math.max(1, (left.toMillis() + 999) / 1000) + " s";
    }
    OfferStats stats = offerStats(appId);
    if (stats.lastRejection() != null) {
      return "no offer matched; the last said: " + stats.lastRejection().detail();
    }
    if (!subscribed) {
      return "waiting for the connection to the master";
    }
    return "waiting for resource offers";
  }
}

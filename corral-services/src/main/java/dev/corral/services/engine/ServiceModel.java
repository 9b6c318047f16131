package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.instance.Backoff;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.placement.OfferStats;
import dev.corral.services.placement.OfferStatsRecorder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduler's in-memory state and its indexes. Owned by the event loop: not thread-safe, and only
 * {@link Engine} changes it (through effects), so the indexes cannot drift from the primary maps.
 *
 * <p>Hard state, mirrored in the store: apps, their versions, instances, last task failures, the framework
 * id. Soft state, rebuilt after a restart: backoffs, offer statistics, deployments.
 */
final class ServiceModel {
  private final TreeMap<String, AppDefinition> apps = new TreeMap<>();
  private final Map<String, List<String>> versions = new HashMap<>();
  private final Map<String, Instance> instances = new HashMap<>();
  private final Map<String, Map<String, Instance>> byApp = new HashMap<>();
  private final Map<String, String> instanceByTask = new HashMap<>();
  private final Map<String, TaskFailure> failures = new HashMap<>();
  private final Map<String, Backoff> backoffs = new HashMap<>();
  private final Map<String, OfferStatsRecorder> offerStats = new HashMap<>();
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  private final Map<String, String> deploymentByApp = new HashMap<>();
  private final TreeMap<String, GroupRecord> groups = new TreeMap<>();
  private String frameworkId = "";

  Map<String, AppDefinition> apps() {
    return Collections.unmodifiableMap(apps);
  }

  AppDefinition app(String appId) {
    return apps.get(appId);
  }

  /** Ids of the apps in a group and its subgroups ({@code group} "/" is every app). */
  Collection<String> appIdsUnder(String group) {
    if (group.equals("/")) {
      return Collections.unmodifiableSet(apps.keySet());
    }
    // '0' follows '/' in ASCII: the range holds exactly the ids that start with "group/".
    return Collections.unmodifiableSet(apps.subMap(group + "/", group + "0").keySet());
  }

  void putApp(AppDefinition app) {
    apps.put(app.id(), app);
    List<String> v = versions.computeIfAbsent(app.id(), k -> new ArrayList<>());
    if (!v.contains(app.version())) {
      v.add(app.version());
      Collections.sort(v);
    }
  }

  void removeApp(String appId) {
    apps.remove(appId);
    versions.remove(appId);
    failures.remove(appId);
    backoffs.remove(appId);
    offerStats.remove(appId);
  }

  /** Stored versions of the app, oldest first. */
  List<String> versions(String appId) {
    return Collections.unmodifiableList(versions.getOrDefault(appId, List.of()));
  }

  void setVersions(String appId, List<String> stored) {
    List<String> v = new ArrayList<>(stored);
    Collections.sort(v);
    versions.put(appId, v);
  }

  void dropVersion(String appId, String version) {
    List<String> v = versions.get(appId);
    if (v != null) {
      v.remove(version);
    }
  }

  Instance instance(String instanceId) {
    return instances.get(instanceId);
  }

  Instance instanceByTask(String taskId) {
    String id = instanceByTask.get(taskId);
    return id == null ? null : instances.get(id);
  }

  Collection<Instance> instances() {
    return Collections.unmodifiableCollection(instances.values());
  }

  /** The app's instances in creation order (including decommissioned ones and those of a deleted app). */
  Collection<Instance> instancesOf(String appId) {
    Map<String, Instance> of = byApp.get(appId);
    return of == null ? List.of() : Collections.unmodifiableCollection(of.values());
  }

  /** Ids of apps that exist or still have instances. */
  Set<String> appIdsWithInstances() {
    return Collections.unmodifiableSet(byApp.keySet());
  }

  void putInstance(Instance instance) {
    Instance previous = instances.put(instance.id(), instance);
    if (previous != null && previous.taskId() != null && !previous.taskId().equals(instance.taskId())) {
      instanceByTask.remove(previous.taskId());
    }
    if (instance.taskId() != null) {
      instanceByTask.put(instance.taskId(), instance.id());
    }
    byApp.computeIfAbsent(instance.appId(), k -> new LinkedHashMap<>()).put(instance.id(), instance);
  }

  void removeInstance(String instanceId) {
    Instance previous = instances.remove(instanceId);
    if (previous == null) {
      return;
    }
    if (previous.taskId() != null) {
      instanceByTask.remove(previous.taskId());
    }
    Map<String, Instance> of = byApp.get(previous.appId());
    if (of != null) {
      of.remove(instanceId);
      if (of.isEmpty()) {
        byApp.remove(previous.appId());
      }
    }
  }

  TaskFailure failure(String appId) {
    return failures.get(appId);
  }

  Map<String, TaskFailure> failures() {
    return Collections.unmodifiableMap(failures);
  }

  void putFailure(TaskFailure failure) {
    failures.put(failure.appId(), failure);
  }

  Backoff backoff(String appId) {
    return backoffs.getOrDefault(appId, Backoff.NONE);
  }

  Map<String, Backoff> backoffs() {
    return Collections.unmodifiableMap(backoffs);
  }

  void putBackoff(String appId, Backoff backoff) {
    backoffs.put(appId, backoff);
  }

  void clearBackoff(String appId) {
    backoffs.remove(appId);
  }

  /** The app's offer statistics, created empty on first use. */
  OfferStatsRecorder offerStats(String appId) {
    return offerStats.computeIfAbsent(appId, k -> new OfferStatsRecorder());
  }

  /** Snapshots of every app's offer statistics. */
  Map<String, OfferStats> offerStats() {
    Map<String, OfferStats> out = new HashMap<>();
    offerStats.forEach((appId, recorder) -> out.put(appId, recorder.snapshot()));
    return out;
  }

  /** Forgets the app's offer statistics: its launch attempt is over (Marathon resets them then too). */
  void clearOfferStats(String appId) {
    offerStats.remove(appId);
  }

  /** Running deployments by id, oldest first. */
  Map<String, Deployment> deployments() {
    return Collections.unmodifiableMap(deployments);
  }

  Deployment deployment(String id) {
    return deployments.get(id);
  }

  /** The deployment that affects the app; null when none does (an app is in at most one). */
  Deployment deploymentOf(String appId) {
    String id = deploymentByApp.get(appId);
    return id == null ? null : deployments.get(id);
  }

  /** App id → id of the deployment affecting it. */
  Map<String, String> deploymentIndex() {
    return Collections.unmodifiableMap(deploymentByApp);
  }

  void putDeployment(Deployment d) {
    deployments.put(d.id(), d);
    for (String appId : d.affectedApps()) {
      deploymentByApp.put(appId, d.id());
    }
  }

  void removeDeployment(String id) {
    Deployment d = deployments.remove(id);
    if (d != null) {
      for (String appId : d.affectedApps()) {
        deploymentByApp.remove(appId, id);
      }
    }
  }

  /** Explicitly created groups by id. */
  Map<String, GroupRecord> groups() {
    return Collections.unmodifiableMap(groups);
  }

  GroupRecord group(String id) {
    return groups.get(id);
  }

  /** Ids of explicit groups strictly inside {@code group}. */
  Collection<String> groupIdsUnder(String group) {
    if (group.equals("/")) {
      return groups.keySet().stream().filter(g -> !g.equals("/")).toList();
    }
    return Collections.unmodifiableSet(groups.subMap(group + "/", group + "0").keySet());
  }

  void putGroup(GroupRecord g) {
    groups.put(g.id(), g);
  }

  void removeGroup(String id) {
    groups.remove(id);
  }

  /** Whether a group of this id exists: created explicitly, or holding apps. */
  boolean groupExists(String id) {
    return id.equals("/") || groups.containsKey(id) || !appIdsUnder(id).isEmpty() || !groupIdsUnder(id).isEmpty();
  }

  String frameworkId() {
    return frameworkId;
  }

  void setFrameworkId(String id) {
    frameworkId = id == null ? "" : id;
  }

  /** Service ports held by apps other than {@code exceptAppId}. */
  Set<Integer> servicePortsTaken(String exceptAppId) {
    Set<Integer> taken = new HashSet<>();
    for (AppDefinition app : apps.values()) {
      if (!app.id().equals(exceptAppId)) {
        for (PortDefinition p : app.portDefinitions()) {
          taken.add(p.port());
        }
      }
    }
    return taken;
  }
}

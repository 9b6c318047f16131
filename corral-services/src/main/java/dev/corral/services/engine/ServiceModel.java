package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.instance.Backoff;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.placement.OfferStats;
import dev.corral.services.placement.OfferStatsRecorder;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's in-memory state and its indexes. Owned by the event loop: not thread-safe, and only
 * {@link Engine} changes it (through effects), so the indexes cannot drift from the primary maps.
 *
 * <p>Hard state, mirrored in the store: apps, their versions, instances, last task failures, the framework
 * id. Soft state, rebuilt after a restart: backoffs, offer statistics, deployments.
 *
 * <p>One exception to the loop's ownership: {@link #publishedTargets}, which other threads may read.
 */
final class ServiceModel {
  private final TreeMap<String, AppDefinition> apps = new TreeMap<>();
  private final Map<String, List<String>> versions = new HashMap<>();
  /** Immutable copies of {@link #versions} for views, dropped when an app's versions change. */
  private final Map<String, List<String>> versionLists = new HashMap<>();
  /** Service port → the apps that hold it (one, unless a definition insists on a taken port). */
  private final Map<Integer, Set<String>> servicePorts = new HashMap<>();
  /** DCOS_SERVICE_NAME label → the apps that carry it: the gateway asks per proxied request. */
  private final Map<String, Set<String>> byServiceName = new HashMap<>();
  /**
   * Service name → its targets as last looked up on the loop, for the gateway's threads to read without a trip
   * through the loop per proxied request. An entry is dropped by the very change of an app or instance of that
   * name, so it is never staler than the loop's own state. Only names of existing apps: bounded by the apps.
   */
  private final Map<String, ServiceTargets> publishedTargets = new ConcurrentHashMap<>();
  private final Map<String, Instance> instances = new HashMap<>();
  private final Map<String, Map<String, Instance>> byApp = new HashMap<>();
  private final Map<String, String> instanceByTask = new HashMap<>();
  /** Instances in memory only: created and never placed, so never written (see {@code Engine#written}). */
  private final Set<String> unwritten = new HashSet<>();
  private final Map<String, TaskFailure> failures = new HashMap<>();
  private final Map<String, Backoff> backoffs = new HashMap<>();
  private final Map<String, OfferStatsRecorder> offerStats = new HashMap<>();
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  private final Map<String, String> deploymentByApp = new HashMap<>();
  private final TreeMap<String, GroupRecord> groups = new TreeMap<>();
  /** Instances waiting for an offer (goal RUNNING, SCHEDULED), by app and config version. */
  private final ConfigCounts waiting = new ConfigCounts();
  /**
   * The ids of those instances by app, in the order they began to wait: an offer round finds them without
   * walking all of an app's instances, once per slice of a round.
   */
  private final Map<String, Set<String>> waitingIds = new HashMap<>();
  /** Instances running as wanted (goal RUNNING, RUNNING), by app and config version. */
  private final ConfigCounts runningWanted = new ConfigCounts();
  private final ConfigCounts wanted = new ConfigCounts();
  /** Resident instances (with a reservation), by app: the offer round looks at these apps only. */
  private final ConfigCounts resident = new ConfigCounts();
  /** Resident instances to release (decommissioned, task ended: volumes to destroy), by app. */
  private final ConfigCounts releasing = new ConfigCounts();
  /** Immutable copies of each app's instance list for views, dropped when the app's instances change. */
  private final Map<String, List<Instance>> instanceLists = new HashMap<>();
  private String frameworkId = "";

  /** Sorted by id (a sorted map, so that copies of it are made in linear time). */
  SortedMap<String, AppDefinition> apps() {
    return Collections.unmodifiableSortedMap(apps);
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
    AppDefinition previous = apps.put(app.id(), app);
    if (previous != null) {
      releasePorts(previous);
      forgetServiceName(previous);
    }
    String serviceName = app.labels().get(ServiceTargets.NAME_LABEL);
    if (serviceName != null) {
      byServiceName.computeIfAbsent(serviceName, k -> new java.util.TreeSet<>()).add(app.id());
      publishedTargets.remove(serviceName);
    }
    for (PortDefinition p : app.portDefinitions()) {
      servicePorts.computeIfAbsent(p.port(), k -> new HashSet<>(2)).add(app.id());
    }
    List<String> v = versions.computeIfAbsent(app.id(), k -> new ArrayList<>());
    if (!v.contains(app.version())) {
      v.add(app.version());
      Collections.sort(v);
      versionLists.remove(app.id());
    }
  }

  void removeApp(String appId) {
    AppDefinition previous = apps.remove(appId);
    if (previous != null) {
      releasePorts(previous);
      forgetServiceName(previous);
    }
    versions.remove(appId);
    versionLists.remove(appId);
    failures.remove(appId);
    backoffs.remove(appId);
    offerStats.remove(appId);
  }

  /** Stored versions of the app, oldest first. */
  List<String> versions(String appId) {
    return Collections.unmodifiableList(versions.getOrDefault(appId, List.of()));
  }

  /** An immutable copy of {@link #versions}, shared by views until the app's versions change. */
  List<String> versionList(String appId) {
    return versionLists.computeIfAbsent(appId, id -> List.copyOf(versions(id)));
  }

  void setVersions(String appId, List<String> stored) {
    List<String> v = new ArrayList<>(stored);
    Collections.sort(v);
    versions.put(appId, v);
    versionLists.remove(appId);
  }

  void dropVersion(String appId, String version) {
    List<String> v = versions.get(appId);
    if (v != null) {
      v.remove(version);
      versionLists.remove(appId);
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
    targetsChanged(instance.appId());
    Instance previous = instances.put(instance.id(), instance);
    if (previous != null) {
      uncount(previous);
    }
    count(instance);
    instanceLists.remove(instance.appId());
    if (previous != null && previous.task() != null && !previous.task().equals(instance.task())) {
      unindexTasks(previous);
    }
    if (instance.task() != null) {
      instanceByTask.put(instance.taskId(), instance.id());
      // a pod instance's containers are tasks of their own: their statuses find the instance too
      instance.task().containers().forEach(c -> instanceByTask.put(c.taskId(), instance.id()));
    }
    byApp.computeIfAbsent(instance.appId(), k -> new LinkedHashMap<>()).put(instance.id(), instance);
  }

  /** Whether the instance was never written to the store. */
  boolean unwritten(String instanceId) {
    return unwritten.contains(instanceId);
  }

  void setUnwritten(String instanceId, boolean value) {
    if (value) {
      unwritten.add(instanceId);
    } else {
      unwritten.remove(instanceId);
    }
  }

  void removeInstance(String instanceId) {
    unwritten.remove(instanceId);
    Instance previous = instances.remove(instanceId);
    if (previous == null) {
      return;
    }
    targetsChanged(previous.appId());
    uncount(previous);
    instanceLists.remove(previous.appId());
    if (previous.task() != null) {
      unindexTasks(previous);
    }
    Map<String, Instance> of = byApp.get(previous.appId());
    if (of != null) {
      of.remove(instanceId);
      if (of.isEmpty()) {
        byApp.remove(previous.appId());
      }
    }
  }

  private void unindexTasks(Instance previous) {
    instanceByTask.remove(previous.taskId(), previous.id());
    previous.task().containers().forEach(c -> instanceByTask.remove(c.taskId(), previous.id()));
  }

  /** An immutable copy of {@link #instancesOf}, shared by views until the app's instances change. */
  List<Instance> instanceList(String appId) {
    return instanceLists.computeIfAbsent(appId, id -> List.copyOf(instancesOf(id)));
  }

  /** How many of the app's instances of that config wait for an offer. */
  int waitingCount(String appId, String configVersion) {
    return waiting.count(appId, configVersion);
  }

  /**
   * The app's instances waiting for an offer (of any config), in the order they began to wait: a view, each
   * looked up as it is reached, so that taking the first few of many costs a few lookups. Not to be kept across
   * changes of the model.
   */
  Iterable<Instance> waitingInstances(String appId) {
    Set<String> ids = waitingIds.get(appId);
    if (ids == null) {
      return List.of();
    }
    return () -> new Iterator<>() {
      private final Iterator<String> it = ids.iterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Instance next() {
        return instance(it.next());
      }
    };
  }

  /** Apps with an instance waiting for an offer (of any config). */
  Set<String> appIdsWithWaiting() {
    return waiting.appIds();
  }

  /** Apps with an instance that holds a reservation on some agent. */
  Set<String> appIdsWithReservations() {
    return resident.appIds();
  }

  /** How many of the app's instances are decommissioned resident ones waiting for their release. */
  int releasingCount(String appId) {
    return releasing.count(appId, "");
  }

  /** Apps with a decommissioned resident instance whose reservation waits to be released. */
  Set<String> appIdsWithReleases() {
    return releasing.appIds();
  }

  /** How many of the app's instances of that config are wanted and running. */
  int runningWantedCount(String appId, String configVersion) {
    return runningWanted.count(appId, configVersion);
  }

  /** How many of the app's instances of that config are wanted (goal RUNNING), in any state. */
  int wantedCount(String appId, String configVersion) {
    return wanted.count(appId, configVersion);
  }

  /** How many instances the app has, in any goal and state. */
  int instanceCount(String appId) {
    Map<String, Instance> of = byApp.get(appId);
    return of == null ? 0 : of.size();
  }

  static boolean releasable(Instance i) {
    return i.isResident() && i.goal() == Goal.DECOMMISSIONED && !i.hasLiveTask();
  }

  private void count(Instance i) {
    if (i.isResident()) {
      resident.add(i.appId(), "");
    }
    if (releasable(i)) {
      releasing.add(i.appId(), "");
    }
    if (i.goal() == Goal.RUNNING) {
      wanted.add(i.appId(), i.configVersion());
    }
    if (i.isWaiting()) {
      waiting.add(i.appId(), i.configVersion());
      waitingIds.computeIfAbsent(i.appId(), a -> new LinkedHashSet<>()).add(i.id());
    } else if (i.goal() == Goal.RUNNING && i.state() == InstanceState.RUNNING) {
      runningWanted.add(i.appId(), i.configVersion());
    }
  }

  private void uncount(Instance i) {
    if (i.isResident()) {
      resident.remove(i.appId(), "");
    }
    if (releasable(i)) {
      releasing.remove(i.appId(), "");
    }
    if (i.goal() == Goal.RUNNING) {
      wanted.remove(i.appId(), i.configVersion());
    }
    if (i.isWaiting()) {
      waiting.remove(i.appId(), i.configVersion());
      Set<String> ids = waitingIds.get(i.appId());
      if (ids != null && ids.remove(i.id()) && ids.isEmpty()) {
        waitingIds.remove(i.appId());
      }
    } else if (i.goal() == Goal.RUNNING && i.state() == InstanceState.RUNNING) {
      runningWanted.remove(i.appId(), i.configVersion());
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

  /** A snapshot of the app's offer statistics; null when it has none. */
  OfferStats offerStatsSnapshot(String appId) {
    OfferStatsRecorder recorder = offerStats.get(appId);
    return recorder == null ? null : recorder.snapshot();
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

  /**
   * Service ports held by apps other than {@code exceptAppIds}, plus those {@code add}ed to it (claimed by the
   * command asking). A view over the port index: one lookup per port asked about, not a walk over every app
   * per create, which made creating 10,000 apps quadratic.
   */
  Set<Integer> servicePortsTakenOutside(Set<String> exceptAppIds) {
    Set<Integer> claimed = new HashSet<>();
    return new AbstractSet<>() {
      @Override
      public boolean contains(Object o) {
        if (claimed.contains(o)) {
          return true;
        }
        Set<String> owners = servicePorts.get(o);
        if (owners == null) {
          return false;
        }
        for (String owner : owners) {
          if (!exceptAppIds.contains(owner)) {
            return true;
          }
        }
        return false;
      }

      @Override
      public boolean add(Integer port) {
        return !contains(port) && claimed.add(port);
      }

      @Override
      public Iterator<Integer> iterator() {
        Set<Integer> all = new HashSet<>(claimed);
        servicePorts.keySet().stream().filter(this::contains).forEach(all::add);
        return all.iterator();
      }

      @Override
      public int size() {
        Set<Integer> all = new HashSet<>(claimed);
        servicePorts.keySet().stream().filter(this::contains).forEach(all::add);
        return all.size();
      }
    };
  }

  /** Ids of the apps labelled {@code DCOS_SERVICE_NAME=name}, in id order. */
  Set<String> appIdsOfService(String name) {
    return Collections.unmodifiableSet(byServiceName.getOrDefault(name, Set.of()));
  }

  /** The targets of {@code name} as published by {@link #publishTargets}; null when not known. Any thread. */
  ServiceTargets publishedTargets(String name) {
    return publishedTargets.get(name);
  }

  /** Lets other threads read {@code targets} until an app or instance of its name changes. */
  void publishTargets(String name, ServiceTargets targets) {
    if (!targets.appIds().isEmpty()) {
      publishedTargets.put(name, targets);
    }
  }

  private void targetsChanged(String appId) {
    if (publishedTargets.isEmpty()) {
      return; // nothing proxied: no lookup on the status path
    }
    AppDefinition app = apps.get(appId);
    String name = app == null ? null : app.labels().get(ServiceTargets.NAME_LABEL);
    if (name != null) {
      publishedTargets.remove(name);
    }
  }

  private void forgetServiceName(AppDefinition app) {
    String name = app.labels().get(ServiceTargets.NAME_LABEL);
    if (name != null) {
      publishedTargets.remove(name);
    }
    Set<String> ids = name == null ? null : byServiceName.get(name);
    if (ids != null) {
      ids.remove(app.id());
      if (ids.isEmpty()) {
        byServiceName.remove(name);
      }
    }
  }

  private void releasePorts(AppDefinition app) {
    for (PortDefinition p : app.portDefinitions()) {
      Set<String> owners = servicePorts.get(p.port());
      if (owners != null) {
        owners.remove(app.id());
        if (owners.isEmpty()) {
          servicePorts.remove(p.port());
        }
      }
    }
  }
}

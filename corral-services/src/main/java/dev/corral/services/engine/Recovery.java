package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.TaskFailure;
import dev.corral.state.Store;
import dev.corral.state.StorePaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scheduler's hard state back from the store at start-up (blocking reads, off the loop). A node
 * that cannot be read is logged and skipped rather than stopping the whole scheduler: one damaged app must
 * not take every other app down with it.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  /** Everything that was stored; immutable. */
  public record Recovered(String frameworkId, List<AppDefinition> apps, Map<String, List<String>> versions,
      List<Instance> instances, List<TaskFailure> failures, List<Deployment> deployments,
      List<GroupRecord> groups) {
    public Recovered {
      apps = List.copyOf(apps);
      versions = Map.copyOf(versions);
      instances = List.copyOf(instances);
      failures = List.copyOf(failures);
      deployments = List.copyOf(deployments);
      groups = List.copyOf(groups);
    }
  }

  private Recovery() {}

  public static Recovered load(Store store) {
    String frameworkId = store.get(ServicePaths.FRAMEWORK_ID)
        .map(b -> new String(b, StandardCharsets.UTF_8).trim()).orElse("");
    List<AppDefinition> apps = new ArrayList<>();
    Map<String, List<String>> versions = new HashMap<>();
    for (String seg : store.children(ServicePaths.APPS)) {
      String path = ServicePaths.APPS + "/" + seg;
      try {
        store.get(path).map(AppDefinition::fromBytes).ifPresent(apps::add);
      } catch (RuntimeException e) {
        log.error("skipping unreadable app definition {}", path, e);
      }
    }
    for (String seg : store.children(ServicePaths.APP_VERSIONS)) {
      List<String> v = new ArrayList<>();
      for (String versionSeg : store.children(ServicePaths.APP_VERSIONS + "/" + seg)) {
        v.add(StorePaths.unsegment(versionSeg));
      }
      versions.put(StorePaths.unsegment(seg), v);
    }
    List<Instance> instances = new ArrayList<>();
    for (String seg : store.children(ServicePaths.INSTANCES)) {
      String path = ServicePaths.INSTANCES + "/" + seg;
      try {
        store.get(path).map(InstanceCodec::fromBytes).ifPresent(instances::add);
      } catch (RuntimeException e) {
        log.error("skipping unreadable instance {}", path, e);
      }
    }
    List<TaskFailure> failures = new ArrayList<>();
    for (String seg : store.children(ServicePaths.TASK_FAILURES)) {
      String path = ServicePaths.TASK_FAILURES + "/" + seg;
      try {
        store.get(path).map(InstanceCodec::failureFromBytes).ifPresent(failures::add);
      } catch (RuntimeException e) {
        log.error("skipping unreadable task failure {}", path, e);
      }
    }
    List<Deployment> deployments = new ArrayList<>();
    for (String seg : store.children(ServicePaths.DEPLOYMENTS)) {
      String path = ServicePaths.DEPLOYMENTS + "/" + seg;
      try {
        store.get(path).map(Deployment::fromBytes).ifPresent(deployments::add);
      } catch (RuntimeException e) {
        log.error("skipping unreadable deployment {}", path, e);
      }
    }
    deployments.sort(java.util.Comparator.comparing(Deployment::startedAt).thenComparing(Deployment::id));
    List<GroupRecord> groups = new ArrayList<>();
    for (String seg : store.children(ServicePaths.GROUPS)) {
      String path = ServicePaths.GROUPS + "/" + seg;
      try {
        store.get(path).map(GroupRecord::fromBytes).ifPresent(groups::add);
      } catch (RuntimeException e) {
        log.error("skipping unreadable group {}", path, e);
      }
    }
    return new Recovered(frameworkId, apps, versions, instances, failures, deployments, groups);
  }
}

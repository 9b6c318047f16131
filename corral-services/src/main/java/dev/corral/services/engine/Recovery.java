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
import java.util.function.Function;
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

  /**
   * How each directory of entities is decoded, in the order they are read: the store's read here and the
   * standby's copy ({@link ServicesMirror}) both go by this table, so a new kind of entity is added once.
   */
  static final Map<String, Function<byte[], ?>> DECODERS = decoders();

  private static Map<String, Function<byte[], ?>> decoders() {
    Map<String, Function<byte[], ?>> out = new java.util.LinkedHashMap<>();
    out.put(ServicePaths.APPS, AppDefinition::fromBytes);
    out.put(ServicePaths.INSTANCES, InstanceCodec::fromBytes);
    out.put(ServicePaths.TASK_FAILURES, InstanceCodec::failureFromBytes);
    out.put(ServicePaths.DEPLOYMENTS, Deployment::fromBytes);
    out.put(ServicePaths.GROUPS, GroupRecord::fromBytes);
    return java.util.Collections.unmodifiableMap(out);
  }

  private Recovery() {}

  public static Recovered load(Store store) {
    String frameworkId = store.get(ServicePaths.FRAMEWORK_ID)
        .map(b -> new String(b, StandardCharsets.UTF_8).trim()).orElse("");
    List<AppDefinition> apps = readAll(store, ServicePaths.APPS);
    Map<String, List<String>> versions = new HashMap<>();
    for (String seg : store.children(ServicePaths.APP_VERSIONS)) {
      List<String> v = new ArrayList<>();
      for (String versionSeg : store.children(ServicePaths.APP_VERSIONS + "/" + seg)) {
        v.add(StorePaths.unsegment(versionSeg));
      }
      versions.put(StorePaths.unsegment(seg), v);
    }
    List<Instance> instances = readAll(store, ServicePaths.INSTANCES);
    List<TaskFailure> failures = readAll(store, ServicePaths.TASK_FAILURES);
    List<Deployment> deployments = readAll(store, ServicePaths.DEPLOYMENTS);
    List<GroupRecord> groups = readAll(store, ServicePaths.GROUPS);
    return of(frameworkId, apps, versions, instances, failures, deployments, groups);
  }

  /** The state from its decoded parts (each in store name order): deployments resume in the order they began. */
  static Recovered of(String frameworkId, List<AppDefinition> apps, Map<String, List<String>> versions,
      List<Instance> instances, List<TaskFailure> failures, List<Deployment> deployments, List<GroupRecord> groups) {
    List<Deployment> byStart = new ArrayList<>(deployments);
    byStart.sort(java.util.Comparator.comparing(Deployment::startedAt).thenComparing(Deployment::id));
    return new Recovered(frameworkId, apps, versions, instances, failures, byStart, groups);
  }

  /** Every child of {@code dir}, read in one pipelined pass and decoded; an unreadable one is logged and skipped. */
  @SuppressWarnings("unchecked")
  private static <T> List<T> readAll(Store store, String dir) {
    Function<byte[], ?> decode = DECODERS.get(dir);
    List<T> out = new ArrayList<>();
    store.childrenWithData(dir).forEach((seg, bytes) -> {
      try {
        out.add((T) decode.apply(bytes));
      } catch (RuntimeException e) {
        log.error("skipping unreadable {}", dir + "/" + seg, e);
      }
    });
    return out;
  }
}

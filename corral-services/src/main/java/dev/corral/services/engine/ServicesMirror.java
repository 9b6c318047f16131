package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.state.StorePaths;
import dev.corral.state.ZkStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby master's copy of what {@link Recovery#load} reads, kept current while another master leads, so
 * that taking over skips the read: with 100,000 instances it took 1.6–2.5 s of a busy 2-core machine, most
 * of the time from a leader's death to the first new placement.
 *
 * <p>One persistent recursive ZooKeeper watch on {@value ServicePaths#ROOT}, set before the first read. Watch
 * events carry no data: each change is read back, and decoded on a thread of its own in the order ZooKeeper
 * reported the changes. While the first read runs, a change seen for a node wins over what the read found for
 * it. Any interruption of the connection (events may have been missed) drops the copy and loads it again.
 *
 * <p>{@link #recovered} answers for the moment it is called: it syncs with ZooKeeper's leader first. A
 * client's watch events and answers arrive in order, so the events of every write before the sync come
 * before its answer, and the reads they caused are answered before a request sent after it. As a last check
 * the copy's child counts must equal the store's. It answers empty when it cannot vouch for the copy (still
 * loading, the connection interrupted, a count that differs): the caller then reads the store.
 */
public final class ServicesMirror implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServicesMirror.class);
  /** Changes waiting to be decoded; more means the copy has fallen hopelessly behind and is loaded again. */
  private static final int MAX_PENDING = 1_000_000;
  private static final Duration RELOAD_AFTER = Duration.ofSeconds(1);
  /** The directories whose children are entities, each decoded the way {@link Recovery} does. */
  private static final List<String> ENTITY_DIRS = List.of(ServicePaths.APPS, ServicePaths.INSTANCES,
      ServicePaths.TASK_FAILURES, ServicePaths.DEPLOYMENTS, ServicePaths.GROUPS);
  /** A node that could not be decoded: counted (the store has it) but left out, as {@link Recovery} does. */
  private static final Object UNREADABLE = new Object();

  private final CuratorFramework curator;
  private final ZkStore store;
  private final Watcher watcher = this::changed;
  private final ThreadPoolExecutor decoder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(MAX_PENDING), daemon("services-mirror"));
  private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(
      daemon("services-mirror-load"));
  /** Moves on whenever the copy is dropped; work of an earlier generation is skipped. */
  private volatile int generation;
  /** The generation whose first read the copy holds, with every change since. */
  private volatile int loadedGeneration = -1;
  private volatile boolean closed;
  /** Decoder thread only. */
  private Copy copy = new Copy(-1);

  private ServicesMirror(ZkStore store) {
    this.store = store;
    this.curator = store.curator();
  }

  /** Starts loading the copy in the background. */
  public static ServicesMirror start(ZkStore store) {
    ServicesMirror mirror = new ServicesMirror(store);
    mirror.dropAndReload("start", Duration.ZERO);
    return mirror;
  }

  /**
   * What {@link Recovery#load} would read now, from the copy; empty when the copy cannot vouch for it or has
   * not answered within {@code wait}. Call it once the store no longer changes under it (a new leader whose
   * predecessor is fenced off).
   */
  public Optional<Recovery.Recovered> recovered(Duration wait) {
    int gen = generation;
    if (loadedGeneration != gen || closed) {
      log.info("the standby's copy of the services' state is not loaded yet; reading the store");
      return Optional.empty();
    }
    CompletableFuture<Optional<Recovery.Recovered>> answer = new CompletableFuture<>();
    try {
      ask(zooKeeper(), gen, answer);
      return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("the standby's copy of the services' state did not answer within {}; reading the store", wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      log.warn("the standby's copy of the services' state failed ({}); reading the store", e.toString());
    }
    return Optional.empty();
  }

  /** Syncs, reads the store's child counts, then has the decoder thread answer from the copy. */
  private void ask(ZooKeeper zk, int gen, CompletableFuture<Optional<Recovery.Recovered>> answer) {
    zk.sync(full(ServicePaths.ROOT), (rc, path, ctx) -> {
      if (rc != KeeperException.Code.OK.intValue()) {
        answer.complete(Optional.empty());
        return;
      }
      // Sent after the reads that the changes before the sync caused, so answered after them.
      Map<String, Integer> counts = new ConcurrentHashMap<>();
      List<String> dirs = new ArrayList<>(ENTITY_DIRS);
      dirs.add(ServicePaths.APP_VERSIONS);
      AtomicInteger left = new AtomicInteger(dirs.size());
      for (String dir : dirs) {
        zk.exists(full(dir), false, (rc2, path2, ctx2, stat) -> {
          counts.put(dir, stat != null ? stat.getNumChildren()
              : rc2 == KeeperException.Code.NONODE.intValue() ? 0 : -1);
          if (left.decrementAndGet() == 0) {
            decode(gen, c -> answer.complete(c.recovered(counts)), () -> answer.complete(Optional.empty()));
          }
        }, null);
      }
    }, null);
  }

  /** Whether the copy holds a whole first read and every change since (not whether it is caught up now). */
  public boolean loaded() {
    return loadedGeneration == generation && !closed;
  }

  @Override
  public void close() {
    closed = true;
    generation++;
    try {
      zooKeeper().removeWatches(full(ServicePaths.ROOT), watcher, Watcher.WatcherType.Any, true);
    } catch (Exception e) {
      // gone with the connection, or never set
    }
    loader.shutdownNow();
    decoder.shutdownNow();
  }

  // ---------------------------------------------------------------- following changes (ZooKeeper's event thread)

  private void changed(WatchedEvent event) {
    if (closed) {
      return;
    }
    switch (event.getType()) {
      case None -> {
        // Disconnected, expired, or connected again: changes may have gone unseen meanwhile.
        dropAndReload("ZooKeeper connection " + event.getState(), RELOAD_AFTER);
      }
      case NodeCreated, NodeDataChanged -> {
        String path = relative(event.getPath());
        Node node = Node.of(path);
        if (node == null) {
          return;
        }
        int gen = generation;
        if (!node.hasData()) {
          decode(gen, c -> c.named(path, node), null);
          return;
        }
        zooKeeper().getData(event.getPath(), false, (rc, p, ctx, data, stat) -> {
          if (rc == KeeperException.Code.OK.intValue()) {
            decode(gen, c -> c.put(path, node, data), null);
          } else if (rc != KeeperException.Code.NONODE.intValue()) { // NONODE: its deletion event follows
            dropAndReload("cannot read " + path + ": " + KeeperException.Code.get(rc), RELOAD_AFTER);
          }
        }, null);
      }
      case NodeDeleted -> {
        String path = relative(event.getPath());
        Node node = Node.of(path);
        if (node != null) {
          decode(generation, c -> c.removed(path, node), null);
        }
      }
      default -> {
        // children changes are not reported to recursive watches; a removed watch needs nothing
      }
    }
  }

  /** Runs {@code work} on the decoder thread against the copy of {@code gen}, or {@code skipped} if it is gone. */
  private void decode(int gen, java.util.function.Consumer<Copy> work, Runnable skipped) {
    try {
      decoder.execute(() -> {
        if (gen != generation) {
          if (skipped != null) {
            skipped.run();
          }
          return;
        }
        if (copy.generation != gen) {
          copy = new Copy(gen);
        }
        work.accept(copy);
      });
    } catch (RejectedExecutionException e) {
      if (skipped != null) {
        skipped.run();
      }
      if (!closed) {
        dropAndReload(MAX_PENDING + " changes waiting to be decoded", RELOAD_AFTER);
      }
    }
  }

  private synchronized void dropAndReload(String why, Duration after) {
    if (closed) {
      return;
    }
    int gen = ++generation;
    if (loadedGeneration >= 0) {
      log.info("dropping the standby's copy of the services' state ({}); loading it again", why);
    }
    loadedGeneration = -1;
    try {
      loader.schedule(() -> load(gen), after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  // ---------------------------------------------------------------- the first read (loader thread)

  private void load(int gen) {
    try {
      while (!curator.getZookeeperClient().isConnected()) {
        if (closed || gen != generation || curator.getState() == CuratorFrameworkState.STOPPED) {
          return;
        }
        curator.blockUntilConnected(1, TimeUnit.SECONDS);
      }
      if (closed || gen != generation) {
        return;
      }
      long start = System.nanoTime();
      // The watch first: whatever the read below finds, a later change is seen.
      zooKeeper().addWatch(full(ServicePaths.ROOT), watcher, AddWatchMode.PERSISTENT_RECURSIVE);
      Snapshot read = Snapshot.read(store);
      decode(gen, c -> {
        c.merge(read);
        loadedGeneration = gen;
        log.info("standby: copied the services' state ({} instances) in {} ms", c.size(ServicePaths.INSTANCES),
            (System.nanoTime() - start) / 1_000_000);
      }, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!closed && gen == generation) {
        log.info("standby: could not copy the services' state ({}); trying again", e.toString());
        dropAndReload("a failed read", RELOAD_AFTER);
      }
    }
  }

  /** What the first read found, decoded (on the loader thread). */
  private record Snapshot(String frameworkId, Map<String, SortedMap<String, Object>> entities,
      SortedMap<String, List<String>> versions) {
    static Snapshot read(ZkStore store) {
      String frameworkId = store.get(ServicePaths.FRAMEWORK_ID)
          .map(b -> new String(b, StandardCharsets.UTF_8).trim()).orElse(null);
      Map<String, SortedMap<String, Object>> entities = new LinkedHashMap<>();
      for (String dir : ENTITY_DIRS) {
        SortedMap<String, Object> decoded = new TreeMap<>();
        store.childrenWithData(dir).forEach((name, data) -> decoded.put(name, decodeEntity(dir, name, data)));
        entities.put(dir, decoded);
      }
      SortedMap<String, List<String>> versions = new TreeMap<>();
      for (String app : store.children(ServicePaths.APP_VERSIONS)) {
        versions.put(app, store.children(ServicePaths.APP_VERSIONS + "/" + app));
      }
      return new Snapshot(frameworkId, entities, versions);
    }
  }

  // ---------------------------------------------------------------- the copy (decoder thread)

  /**
   * Where a node sits in the services' tree, for those the copy keeps: an entity ({@code name} in {@code dir}),
   * or under {@value ServicePaths#APP_VERSIONS} an app ({@code name}) or one of its versions ({@code version}).
   */
  private record Node(String dir, String name, String version) {
    static final Node FRAMEWORK_ID = new Node(null, null, null);

    /** Null for nodes the copy does not keep (the directories themselves, anything unknown). */
    static Node of(String path) {
      if (path.equals(ServicePaths.FRAMEWORK_ID)) {
        return FRAMEWORK_ID;
      }
      String parent = StorePaths.parent(path);
      String name = path.substring(parent.length() + 1);
      if (ENTITY_DIRS.contains(parent)) {
        return new Node(parent, name, null);
      }
      if (parent.equals(ServicePaths.APP_VERSIONS)) {
        return new Node(ServicePaths.APP_VERSIONS, name, null);
      }
      if (StorePaths.parent(parent).equals(ServicePaths.APP_VERSIONS)) {
        return new Node(ServicePaths.APP_VERSIONS, parent.substring(parent.lastIndexOf('/') + 1), name);
      }
      return null;
    }

    boolean hasData() {
      return this == FRAMEWORK_ID || !dir.equals(ServicePaths.APP_VERSIONS);
    }
  }

  private static final class Copy {
    final int generation;
    String frameworkId;
    final Map<String, TreeMap<String, Object>> entities = new HashMap<>();
    /** App (segment) to its version segments: names only, as {@link Recovery} reads them. */
    final TreeMap<String, TreeSet<String>> versions = new TreeMap<>();
    /** Nodes changed while the first read ran (their change wins over the read); null once merged. */
    Set<String> touched = new HashSet<>();

    Copy(int generation) {
      this.generation = generation;
      for (String dir : ENTITY_DIRS) {
        entities.put(dir, new TreeMap<>());
      }
    }

    int size(String dir) {
      return entities.get(dir).size();
    }

    void put(String path, Node node, byte[] data) {
      touch(path);
      if (node == Node.FRAMEWORK_ID) {
        frameworkId = new String(data, StandardCharsets.UTF_8).trim();
      } else {
        entities.get(node.dir()).put(node.name(), decodeEntity(node.dir(), node.name(), data));
      }
    }

    void named(String path, Node node) {
      touch(path);
      TreeSet<String> names = versions.computeIfAbsent(node.name(), k -> new TreeSet<>());
      if (node.version() != null) {
        names.add(node.version());
      }
    }

    void removed(String path, Node node) {
      touch(path);
      if (node == Node.FRAMEWORK_ID) {
        frameworkId = null;
      } else if (!node.dir().equals(ServicePaths.APP_VERSIONS)) {
        entities.get(node.dir()).remove(node.name());
      } else if (node.version() == null) {
        versions.remove(node.name());
      } else {
        TreeSet<String> names = versions.get(node.name());
        if (names != null) {
          names.remove(node.version());
        }
      }
    }

    private void touch(String path) {
      if (touched != null) {
        touched.add(path);
      }
    }

    /** The first read, under the changes seen while it ran. */
    void merge(Snapshot read) {
      if (read.frameworkId() != null && !touched.contains(ServicePaths.FRAMEWORK_ID)) {
        frameworkId = read.frameworkId();
      }
      read.entities().forEach((dir, children) -> children.forEach((name, value) -> {
        if (!touched.contains(dir + "/" + name)) {
          entities.get(dir).put(name, value);
        }
      }));
      read.versions().forEach((app, names) -> {
        String appPath = ServicePaths.APP_VERSIONS + "/" + app;
        if (!touched.contains(appPath)) {
          versions.computeIfAbsent(app, k -> new TreeSet<>());
        }
        for (String name : names) {
          if (!touched.contains(appPath + "/" + name)) {
            versions.computeIfAbsent(app, k -> new TreeSet<>()).add(name);
          }
        }
      });
      touched = null;
    }

    /** The copy as {@link Recovery#load} would read it; empty if a directory's size differs from the store's. */
    Optional<Recovery.Recovered> recovered(Map<String, Integer> storeCounts) {
      for (String dir : ENTITY_DIRS) {
        if (storeCounts.get(dir) != size(dir)) {
          log.warn("the standby's copy has {} children of {}, the store {}; reading the store", size(dir), dir,
              storeCounts.get(dir));
          return Optional.empty();
        }
      }
      if (storeCounts.get(ServicePaths.APP_VERSIONS) != versions.size()) {
        log.warn("the standby's copy has versions of {} apps, the store of {}; reading the store", versions.size(),
            storeCounts.get(ServicePaths.APP_VERSIONS));
        return Optional.empty();
      }
      Map<String, List<String>> versionIds = new HashMap<>();
      versions.forEach((app, names) -> {
        List<String> ids = new ArrayList<>(names.size());
        names.forEach(n -> ids.add(StorePaths.unsegment(n)));
        versionIds.put(StorePaths.unsegment(app), ids);
      });
      return Optional.of(Recovery.of(frameworkId == null ? "" : frameworkId,
          decoded(ServicePaths.APPS), versionIds, decoded(ServicePaths.INSTANCES),
          decoded(ServicePaths.TASK_FAILURES), decoded(ServicePaths.DEPLOYMENTS), decoded(ServicePaths.GROUPS)));
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> decoded(String dir) {
      List<T> out = new ArrayList<>(size(dir));
      for (Object value : entities.get(dir).values()) {
        if (value != UNREADABLE) {
          out.add((T) value);
        }
      }
      return out;
    }
  }

  private static Object decodeEntity(String dir, String name, byte[] data) {
    try {
      return switch (dir) {
        case ServicePaths.APPS -> AppDefinition.fromBytes(data);
        case ServicePaths.INSTANCES -> InstanceCodec.fromBytes(data);
        case ServicePaths.TASK_FAILURES -> InstanceCodec.failureFromBytes(data);
        case ServicePaths.DEPLOYMENTS -> Deployment.fromBytes(data);
        case ServicePaths.GROUPS -> GroupRecord.fromBytes(data);
        default -> throw new IllegalArgumentException("not an entity directory: " + dir);
      };
    } catch (RuntimeException e) {
      log.error("skipping unreadable {}", dir + "/" + name, e);
      return UNREADABLE;
    }
  }

  // ---------------------------------------------------------------- paths

  private ZooKeeper zooKeeper() {
    try {
      return curator.getZookeeperClient().getZooKeeper();
    } catch (Exception e) {
      throw new IllegalStateException("no ZooKeeper client: " + e.getMessage(), e);
    }
  }

  private String full(String path) {
    String namespace = curator.getNamespace();
    return namespace == null || namespace.isEmpty() ? path : ZKPaths.makePath(namespace, path);
  }

  private String relative(String fullPath) {
    String namespace = curator.getNamespace();
    return namespace == null || namespace.isEmpty() ? fullPath : fullPath.substring(namespace.length() + 1);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

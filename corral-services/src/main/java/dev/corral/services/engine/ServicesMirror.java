package dev.corral.services.engine;

import dev.corral.state.StorePaths;
import dev.corral.state.ZkStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby master's copy of what {@link Recovery#load} reads, kept current while another master leads, so
 * that taking over skips the read: with 100,000 instances it took 1.6–2.5 s of a busy 2-core machine, most
 * of the time from a leader's death to the first new placement.
 *
 * <p>One persistent recursive ZooKeeper watch on {@value ServicePaths#ROOT}, set before the first listing.
 * Watch events carry no data, so an event only marks its node stale; every {@link #FETCH_EVERY} the stale
 * nodes are read back in the store's batched, windowed reads and decoded. A node that changes many times in
 * between is read once, and only a window of reads is ever queued ahead of the master's own ZooKeeper requests
 * (its election). Any interruption of the connection (events may have been missed) drops the copy and lists
 * everything again.
 *
 * <p>{@link #recovered} answers for the moment it is called: it syncs with ZooKeeper's leader, whose answer
 * comes after the events of every earlier write, then reads what those events marked stale. As a last check
 * the copy's child counts must equal the store's. It answers empty when it cannot vouch for the copy (not
 * loaded, the connection interrupted, a count that differs): the caller then reads the store.
 */
public final class ServicesMirror implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServicesMirror.class);
  /**
   * How often stale nodes are read back: the longer, the more changes to one node are read as one (a task
   * placed, starting and running within a second is read once), and the more a take-over reads at the end.
   */
  private static final Duration FETCH_EVERY = Duration.ofSeconds(1);
  private static final Duration RELOAD_AFTER = Duration.ofSeconds(1);
  /** Stale nodes read back per round, in the store's batched reads ({@link ZkStore#readBatched}). */
  private static final int READ_ROUND = 10_000;
  /** The directories whose children are entities, each decoded the way {@link Recovery} does. */
  private static final List<String> ENTITY_DIRS = List.copyOf(Recovery.DECODERS.keySet());
  /** A node that could not be decoded: counted (the store has it) but left out, as {@link Recovery} does. */
  private static final Object UNREADABLE = new Object();

  private final CuratorFramework curator;
  private final ZkStore store;
  private final Watcher watcher = this::changed;
  /** Nodes (paths without the namespace) to read back: marked by watch events, cleared by the fetcher. */
  private final Set<String> stale = ConcurrentHashMap.newKeySet();
  /** Lists, reads and decodes: the only thread that touches {@link #copy}. */
  private final ScheduledExecutorService fetcher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "services-mirror");
    t.setDaemon(true);
    return t;
  });
  /** Moves on whenever the copy is dropped; work of an earlier generation is abandoned. */
  private volatile int generation;
  /** The generation whose first listing the copy has read, and kept current since. */
  private volatile int loadedGeneration = -1;
  private volatile boolean closed;
  private Copy copy = new Copy(-1);

  private ServicesMirror(ZkStore store) {
    this.store = store;
    this.curator = store.curator();
  }

  /** Starts loading the copy in the background. */
  public static ServicesMirror start(ZkStore store) {
    ServicesMirror mirror = new ServicesMirror(store);
    mirror.fetcher.scheduleWithFixedDelay(mirror::fetchStale, FETCH_EVERY.toMillis(), FETCH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    mirror.dropAndReload("start", Duration.ZERO);
    return mirror;
  }

  /** Whether the copy holds a whole first read and is kept current (not whether it is caught up this instant). */
  public boolean loaded() {
    return loadedGeneration == generation && !closed;
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
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      CompletableFuture<Void> synced = new CompletableFuture<>();
      zooKeeper().sync(full(ServicePaths.ROOT), (rc, path, ctx) -> {
        if (rc == KeeperException.Code.OK.intValue()) {
          synced.complete(null); // after the events of every write before it: they have marked their nodes
        } else {
          synced.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
        }
      }, null);
      Future<Optional<Recovery.Recovered>> answer = fetcher.submit(() -> {
        synced.get(remaining(deadline), TimeUnit.NANOSECONDS);
        if (!readStale(gen)) {
          return Optional.empty();
        }
        ZooKeeper zk = zooKeeper();
        Map<String, Integer> counts = new HashMap<>();
        for (String dir : ENTITY_DIRS) {
          counts.put(dir, children(zk, dir));
        }
        counts.put(ServicePaths.APP_VERSIONS, children(zk, ServicePaths.APP_VERSIONS));
        return gen == generation ? copy.recovered(counts) : Optional.<Recovery.Recovered>empty();
      });
      return answer.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn("the standby's copy of the services' state did not answer within {}; reading the store", wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      log.warn("the standby's copy of the services' state failed ({}); reading the store", e.toString());
    }
    return Optional.empty();
  }

  /**
   * The copy as it stands, unchecked and possibly a moment behind the store: for rehearsing a take-over, never
   * for taking over ({@link #recovered}). Empty while it is not loaded.
   */
  public Optional<Recovery.Recovered> snapshot(Duration wait) {
    try {
      return fetcher.submit(() -> loaded() ? Optional.of(copy.assemble()) : Optional.<Recovery.Recovered>empty())
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return Optional.empty();
    }
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
    fetcher.shutdownNow();
  }

  // ---------------------------------------------------------------- watch events (ZooKeeper's event thread)

  private void changed(WatchedEvent event) {
    if (closed) {
      return;
    }
    switch (event.getType()) {
      case None -> dropAndReload("ZooKeeper connection " + event.getState(), RELOAD_AFTER);
      case NodeCreated, NodeDataChanged, NodeDeleted -> {
        Node node = Node.of(relative(event.getPath()));
        if (node != null) {
          stale.add(node.path());
        }
      }
      default -> {
        // recursive watches report no child changes; a removed watch needs nothing
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
      fetcher.schedule(() -> load(gen), after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  // ---------------------------------------------------------------- reading (the fetcher thread)

  /** Lists every node the copy keeps and reads them all; the watch first, so no later change goes unseen. */
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
      zooKeeper().addWatch(full(ServicePaths.ROOT), watcher, AddWatchMode.PERSISTENT_RECURSIVE);
      copy = new Copy(gen);
      stale.add(ServicePaths.FRAMEWORK_ID);
      for (String dir : ENTITY_DIRS) {
        for (String name : store.children(dir)) {
          stale.add(dir + "/" + name);
        }
      }
      for (String app : store.children(ServicePaths.APP_VERSIONS)) {
        stale.add(ServicePaths.APP_VERSIONS + "/" + app);
      }
      if (readStale(gen)) {
        loadedGeneration = gen;
        log.info("standby: copied the services' state ({} instances) in {} ms", copy.size(ServicePaths.INSTANCES),
            (System.nanoTime() - start) / 1_000_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!closed && gen == generation) {
        dropAndReload("could not read it: " + e, RELOAD_AFTER);
      }
    }
  }

  /** The periodic read-back of what changed. */
  private void fetchStale() {
    int gen = generation;
    if (loadedGeneration != gen || stale.isEmpty()) {
      return; // while loading, the load reads
    }
    try {
      readStale(gen);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!closed && gen == generation) {
        dropAndReload("could not read changes: " + e, RELOAD_AFTER);
      }
    }
  }

  /**
   * Reads every stale node into the copy, until none is left; false if the copy was dropped meanwhile. A node
   * marked again while its read is on the way is read again: that read may have been answered before the change.
   */
  private boolean readStale(int gen) throws Exception {
    while (!stale.isEmpty()) {
      List<String> paths = new ArrayList<>();
      for (Iterator<String> it = stale.iterator(); it.hasNext() && paths.size() < READ_ROUND; ) {
        paths.add(it.next());
        it.remove();
      }
      OpResult[] results = read(paths);
      if (gen != generation) {
        return false;
      }
      for (int i = 0; i < paths.size(); i++) {
        copy.apply(paths.get(i), results[i]);
      }
    }
    return gen == generation;
  }

  /** One result per path, from the store's batched reads; an app's versions are names only: its children. */
  private OpResult[] read(List<String> paths) throws KeeperException {
    OpResult[] results = store.readBatched(paths, path -> Node.of(path).versions());
    for (OpResult result : results) {
      if (result == null) {
        stale.addAll(paths);
        throw KeeperException.create(KeeperException.Code.CONNECTIONLOSS);
      }
    }
    return results;
  }

  private int children(ZooKeeper zk, String dir) throws Exception {
    Stat stat = zk.exists(full(dir), false);
    return stat == null ? 0 : stat.getNumChildren();
  }

  // ---------------------------------------------------------------- the copy (fetcher thread)

  /**
   * A node the copy keeps: the framework id, an entity ({@code name} in {@code dir}), or an app's versions
   * ({@code dir} {@value ServicePaths#APP_VERSIONS}; a change to one version marks the app's node).
   */
  private record Node(String dir, String name) {
    static final Node FRAMEWORK_ID = new Node(ServicePaths.ROOT, "framework-id");

    /** Null for nodes the copy does not keep (the directories themselves, anything unknown). */
    static Node of(String path) {
      if (path.equals(ServicePaths.FRAMEWORK_ID)) {
        return FRAMEWORK_ID;
      }
      String parent = StorePaths.parent(path);
      if (ENTITY_DIRS.contains(parent) || parent.equals(ServicePaths.APP_VERSIONS)) {
        return new Node(parent, path.substring(parent.length() + 1));
      }
      if (StorePaths.parent(parent).equals(ServicePaths.APP_VERSIONS)) {
        return of(parent);
      }
      return null;
    }

    boolean versions() {
      return dir.equals(ServicePaths.APP_VERSIONS);
    }

    String path() {
      return dir + "/" + name;
    }
  }

  private static final class Copy {
    final int generation;
    String frameworkId;
    final Map<String, TreeMap<String, Object>> entities = new HashMap<>();
    /** App (segment) to its version segments in name order, as {@link Recovery} lists them. */
    final TreeMap<String, List<String>> versions = new TreeMap<>();

    Copy(int generation) {
      this.generation = generation;
      for (String dir : ENTITY_DIRS) {
        entities.put(dir, new TreeMap<>());
      }
    }

    int size(String dir) {
      return entities.get(dir).size();
    }

    /** What a read found for a node: its data or children, or that it is gone. */
    void apply(String path, OpResult read) {
      Node node = Node.of(path);
      boolean gone = read instanceof OpResult.ErrorResult error
          && error.getErr() == KeeperException.Code.NONODE.intValue();
      if (!gone && !(read instanceof OpResult.GetDataResult) && !(read instanceof OpResult.GetChildrenResult)) {
        throw new IllegalStateException("cannot read " + path + ": " + read);
      }
      if (node == Node.FRAMEWORK_ID) {
        frameworkId = gone ? null : new String(((OpResult.GetDataResult) read).getData(), StandardCharsets.UTF_8).trim();
      } else if (node.versions()) {
        if (gone) {
          versions.remove(node.name());
        } else {
          List<String> names = new ArrayList<>(((OpResult.GetChildrenResult) read).getChildren());
          names.sort(null);
          versions.put(node.name(), names);
        }
      } else if (gone) {
        entities.get(node.dir()).remove(node.name());
      } else {
        entities.get(node.dir()).put(node.name(),
            decodeEntity(node.dir(), path, ((OpResult.GetDataResult) read).getData()));
      }
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
      return Optional.of(assemble());
    }

    /** The copy in {@link Recovery}'s terms. */
    Recovery.Recovered assemble() {
      Map<String, List<String>> versionIds = new HashMap<>();
      versions.forEach((app, names) -> versionIds.put(StorePaths.unsegment(app),
          names.stream().map(StorePaths::unsegment).toList()));
      return Recovery.of(frameworkId == null ? "" : frameworkId,
          decoded(ServicePaths.APPS), versionIds, decoded(ServicePaths.INSTANCES),
          decoded(ServicePaths.TASK_FAILURES), decoded(ServicePaths.DEPLOYMENTS), decoded(ServicePaths.GROUPS));
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

  private static Object decodeEntity(String dir, String path, byte[] data) {
    try {
      return Recovery.DECODERS.get(dir).apply(data);
    } catch (RuntimeException e) {
      log.error("skipping unreadable {}", path, e);
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

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}

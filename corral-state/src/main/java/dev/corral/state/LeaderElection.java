package dev.corral.state;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among the masters that share one ZooKeeper root, with writes fenced by a leader epoch.
 *
 * <p>A Curator {@link LeaderLatch} picks the leader. On winning, the new leader bumps the epoch node
 * ({@value #EPOCH}) with a compare-and-set, and from then on every write of its {@link ZkStore} also checks
 * that node's version in the same multi: once a later leader bumps it, the former leader's writes fail even
 * if it has not yet noticed that it lost. Losing the ZooKeeper connection (SUSPENDED) or the session (LOST)
 * ends leadership at once (Curator's standard error policy), and the store then refuses every write until
 * the next win. While leading, the leader's addresses sit in the ephemeral node {@value #INFO} (tied to its
 * session), where agents and schedulers look the leader up.
 *
 * <p>A leader also watches the epoch node: a later leader's bump means this one was deposed without
 * noticing it (see {@link #evict}), and it steps down at once. {@link #evict} takes a leader whose process is
 * known to be gone out of the election without waiting for ZooKeeper to expire its session.
 *
 * <p>Callbacks run one at a time on the election's own thread, in order: {@link Listener#elected} may
 * take a while to start everything, and a {@link Listener#deposed} that arrives meanwhile waits for it.
 * Thread-safe.
 */
public final class LeaderElection implements AutoCloseable {
  /** What the master does on winning and losing. Both run on the election thread. */
  public interface Listener {
    /**
     * Now leader for {@code epoch}; returns what to publish in {@value #INFO} (the addresses, as bytes), or
     * null to publish nothing. The store accepts writes from here on. While starting it may publish a first
     * record through {@link #announce}, which the returned one replaces.
     */
    byte[] elected(long epoch) throws Exception;

    /** No longer leader (another won, or the ZooKeeper connection is in doubt); stop acting now. */
    void deposed();
  }

  public static final String LATCH = "/leader/latch";
  public static final String EPOCH = "/leader/epoch";
  public static final String INFO = "/leader/info";

  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  /** How long {@link #close} waits for the leader's work to stop before it gives up on it. */
  private static final long CLOSE_WAIT_SECONDS = 20;
  private static final long REJOIN_SECONDS = 5;

  private final ZkStore store;
  private final CuratorFramework curator;
  private final String id;
  private final Listener listener;
  private final ScheduledExecutorService thread;
  /** Replaced when a failed take-over makes this master rejoin; election thread only (and start). */
  private volatile LeaderLatch latch;
  private volatile boolean closed;
  private boolean leading; // election thread only
  private boolean announced; // this term's record is published already; election thread only
  private volatile long epoch = -1;

  /**
   * @param id this candidate, e.g. its host and ports (shown in logs and the latch's nodes)
   */
  public LeaderElection(ZkStore store, String id, Listener listener) {
    this.store = store;
    this.curator = store.curator();
    this.id = id;
    this.listener = listener;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "leader-election");
      t.setDaemon(true);
      return t;
    });
    store.fence(new ZkStore.Fence(EPOCH, -1, "this master is not the leader"));
  }

  /** Joins the election; returns at once. */
  public void start() {
    join();
  }

  private void join() {
    LeaderLatch next = new LeaderLatch(curator, LATCH, id);
    next.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        won();
      }

      @Override
      public void notLeader() {
        lost();
      }
    }, thread);
    latch = next;
    try {
      next.start();
    } catch (Exception e) {
      throw new StoreException("cannot join the leader election: " + e.getMessage(), e);
    }
  }

  /** The epoch this master leads in, or -1 while it does not lead. */
  public long epoch() {
    return epoch;
  }

  private void won() {
    if (leading || !latch.hasLeadership()) {
      return;
    }
    try {
      Stat stat = bumpEpoch();
      long now = stat.getVersion();
      store.fence(new ZkStore.Fence(EPOCH, stat.getVersion(), "deposed"));
      leading = true;
      epoch = now;
      log.info("{} is the leading master (epoch {})", id, now);
      watchEpoch();
      if (!leading) {
        return; // deposed already
      }
      announced = false;
      byte[] info = listener.elected(now);
      if (info != null) {
        announce(info); // the full record, in place of a starting one if there was one
      }
    } catch (Exception | LinkageError e) {
      // Leading without acting would stall the cluster: give the latch up so that another master leads.
      log.error("{} could not take over as leader; stepping aside: {}", id, e.toString(), e);
      lost();
      leave("after a failed take-over");
    }
  }

  /**
   * Sets a watch on the epoch node, and steps down if a later leader has bumped it already. Election thread.
   */
  private void watchEpoch() {
    if (!leading || closed) {
      return;
    }
    try {
      Stat stat = curator.checkExists().usingWatcher((Watcher) this::onEpochEvent).forPath(EPOCH);
      if (stat == null || stat.getVersion() != epoch) {
        log.warn("{}: a later leader took over (epoch {}); this one was deposed without noticing, stepping down",
            id, stat == null ? "gone" : stat.getVersion());
        lost();
        leave("after it was deposed");
      }
    } catch (Exception e) {
      // A connection in doubt ends leadership through the latch anyway.
      log.debug("watching {}: {}", EPOCH, e.toString());
    }
  }

  private void onEpochEvent(WatchedEvent event) {
    if (event.getType() == Watcher.Event.EventType.None) {
      // A connection event, which every watch receives; the latch handles those. The watch stays set.
      return;
    }
    try {
      thread.execute(this::watchEpoch);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Takes the master of ZooKeeper session {@code session} out of the election now: removes its latch nodes
   * and, if it wrote it, the leader record, so that the next candidate wins without waiting for the session
   * to expire. For a leader known to be gone (its process no longer listens; see the master's leader
   * watch). Were it alive after all, the next leader's epoch bump fences its writes and, through
   * {@link #watchEpoch}, makes it step down. Never removes this master's own nodes.
   *
   * @return whether any node was removed
   */
  public boolean evict(long session) {
    try {
      long own = curator.getZookeeperClient().getZooKeeper().getSessionId();
      if (session == 0 || session == own) {
        return false;
      }
      boolean removed = false;
      for (String child : curator.getChildren().forPath(LATCH)) {
        removed |= deleteIfOwnedBy(LATCH + "/" + child, session);
      }
      removed |= deleteIfOwnedBy(INFO, session);
      if (removed) {
        log.warn("{} took session 0x{} out of the leader election without waiting for it to expire", id,
            Long.toHexString(session));
      }
      return removed;
    } catch (Exception e) {
      log.warn("{} could not take session 0x{} out of the leader election: {}", id, Long.toHexString(session),
          e.toString());
      return false;
    }
  }

  private boolean deleteIfOwnedBy(String path, long session) throws Exception {
    Stat stat = curator.checkExists().forPath(path);
    if (stat == null || stat.getEphemeralOwner() != session) {
      return false;
    }
    try {
      curator.delete().withVersion(stat.getVersion()).forPath(path);
      return true;
    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
      return false; // removed or replaced meanwhile
    }
  }

  private void lost() {
    store.fence(new ZkStore.Fence(EPOCH, -1, "this master is not the leader"));
    epoch = -1;
    if (!leading) {
      return;
    }
    leading = false;
    log.warn("{} is no longer the leading master; stopping the leader's work", id);
    try {
      listener.deposed();
    } catch (RuntimeException e) {
      log.warn("error while stepping down: {}", e.toString(), e);
    }
    if (curator.getZookeeperClient().isConnected()) {
      unpublish(); // otherwise it goes with the session, or the next win replaces it
    }
  }

  /** Leaves the latch (another master may lead meanwhile) and rejoins at the back a little later. */
  private void leave(String why) {
    try {
      latch.close(LeaderLatch.CloseMode.SILENT);
    } catch (Exception e) {
      log.debug("closing the latch: {}", e.toString());
    }
    log.warn("{} left the leader election {}; rejoining in {} s", id, why, REJOIN_SECONDS);
    thread.schedule(() -> {
      if (!closed) {
        try {
          join();
        } catch (StoreException e) {
          log.warn("{} could not rejoin the leader election: {}", id, e.getMessage());
        }
      }
    }, REJOIN_SECONDS, TimeUnit.SECONDS);
  }

  private Stat bumpEpoch() throws Exception {
    while (true) {
      Stat stat = new Stat();
      try {
        curator.getData().storingStatIn(stat).forPath(EPOCH);
      } catch (KeeperException.NoNodeException e) {
        try {
          curator.create().creatingParentsIfNeeded().forPath(EPOCH, new byte[0]);
        } catch (KeeperException.NodeExistsException raced) {
          // another candidate created it first; read it again
        }
        continue;
      }
      try {
        return curator.setData().withVersion(stat.getVersion())
            .forPath(EPOCH, id.getBytes(StandardCharsets.UTF_8));
      } catch (KeeperException.BadVersionException raced) {
        // a former leader's late bump; read again
      }
    }
  }

  private void publish(byte[] info) throws Exception {
    try {
      curator.delete().forPath(INFO); // a stale node of this session's earlier term
    } catch (KeeperException.NoNodeException e) {
      // the usual case
    }
    curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(INFO, info);
  }

  /**
   * Publishes a first record in {@value #INFO} while {@link Listener#elected} is still starting the leader's
   * work, so that clients of the part already running (agents coming back after a failover) need not wait
   * for the rest. Only from within {@code elected}, on the election thread.
   */
  public void announce(byte[] info) throws Exception {
    if (!leading || !latch.hasLeadership()) {
      return;
    }
    if (announced) {
      replace(info);
    } else {
      publish(info);
      announced = true;
    }
  }

  /** Replaces this term's record in place: no moment without one, which clients would take for no leader. */
  private void replace(byte[] info) throws Exception {
    Stat stat = curator.checkExists().forPath(INFO);
    long session = curator.getZookeeperClient().getZooKeeper().getSessionId();
    if (stat == null || stat.getEphemeralOwner() != session) {
      publish(info); // removed meanwhile (taken for a dead leader's): publish it again
      return;
    }
    try {
      curator.setData().withVersion(stat.getVersion()).forPath(INFO, info);
    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException raced) {
      publish(info);
    }
  }

  /** Removes the leader's node if this session wrote it, so that clients stop looking here at once. */
  private void unpublish() {
    try {
      Stat stat = curator.checkExists().forPath(INFO);
      long session = curator.getZookeeperClient().getZooKeeper().getSessionId();
      if (stat != null && stat.getEphemeralOwner() == session) {
        curator.delete().withVersion(stat.getVersion()).forPath(INFO);
      }
    } catch (Exception e) {
      log.debug("removing {}: {}", INFO, e.toString());
    }
  }

  /** Leaves the election (the next master takes over at once) after stopping the leader's work. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.submit(() -> {
        boolean wasLeading = leading;
        lost();
        try {
          if (latch.getState() == LeaderLatch.State.STARTED) {
            latch.close(LeaderLatch.CloseMode.SILENT);
          }
        } catch (Exception e) {
          log.debug("closing the latch: {}", e.toString());
        }
        if (wasLeading && curator.getZookeeperClient().isConnected()) {
          unpublish();
        }
      }).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // e.g. a take-over stuck on a ZooKeeper without quorum: stopping must not wait for it
      log.warn("leaving the leader election: {}", e.toString());
    }
    thread.shutdownNow();
  }
}

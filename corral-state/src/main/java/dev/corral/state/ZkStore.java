package dev.corral.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} on ZooKeeper through Curator, rooted at a chroot (e.g. "/corral").
 *
 * <p>Group commit: one writer thread drains every commit queued meanwhile and writes them in one ZooKeeper
 * multi (split when it nears the request size limit), so a burst of N small commits costs a few fsyncs, not
 * N; a node set by several of them is written once, with its last value. If a merged multi fails, each
 * commit is retried alone so that one bad commit fails only itself. A commit someone waits on
 * ({@link #commitAhead}, an API write) is written before queued ones it shares no node with ({@link WriteQueue}).
 * Up to {@link #MULTIS_IN_FLIGHT} multis are on their way at once; when one fails, the writer waits for the
 * others and writes its commits again alone, without what those sent after it have since overwritten.
 *
 * <p>The writer remembers which nodes exist (those it created, and the children of each parent it listed
 * once), so that creating thousands of nodes costs no existence check each. That assumes it is the only
 * writer of those nodes, as a leader is; a node someone else created meanwhile fails one multi, and the
 * retry works from a fresh listing.
 */
public final class ZkStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(ZkStore.class);
  /**
   * Well below jute.maxbuffer (1 MB) for one multi request; with {@link #MULTIS_IN_FLIGHT} of them on their
   * way, an API write waits behind no more than one multi of 512 KiB used to take.
   */
  private static final int MAX_BATCH_BYTES = 256 * 1024;
  private static final int MAX_BATCH_OPS = 1000;
  /**
   * The largest answer the client accepts (ZooKeeper's jute.maxbuffer, 1 MB by default): listing the 100,000
   * instances of a large cluster is a 7 MB answer, and with the default a new leader could not load its
   * state (the listing failed as a lost connection). Requests stay under 1 MB (see MAX_BATCH_BYTES).
   */
  private static final int MAX_RESPONSE_BYTES = 128 * 1024 * 1024;
  /**
   * Nodes read per request in {@link #readBatched}, a multi of reads: a request per child, even
   * pipelined, read 23,000 children a second (4.3 s for a new leader's 100,000 instances); in batches, 0.3–0.8 s.
   */
  private static final int READ_BATCH = 250;
  /**
   * Reads in flight at once in {@link #readBatched} (in whole batches): one round trip after the other
   * made a new leader spend 30 s reading 100,000 instances; pipelined, the window bounds what is buffered.
   */
  private static final int READ_WINDOW = 2_000;
  /** Commits the writer's queue holds at most; one more is refused. */
  private static final int QUEUE_CAPACITY = 100_000;
  /** {@link #backlogged} from here: half the queue, so that what is already on its way still fits. */
  private static final int BACKLOG = QUEUE_CAPACITY / 2;

  /**
   * Multis sent before the first is answered. Each spends most of its time waiting on its way (the client's and
   * the server's threads, the log's fsync), and one at a time the writer wrote about 17,000 nodes a second while
   * 100,000 tasks were placed, the rest of the system waiting on it. ZooKeeper applies one session's requests
   * in the order sent.
   */
  static final int MULTIS_IN_FLIGHT = 2;

  private record Pending(List<StoreOp> ops, CompletableFuture<Void> done) implements WriteQueue.Commit {}

  /** A multi sent: its commits, the ops it writes, and ZooKeeper's result code once answered. */
  private record Sent(List<Pending> batch, List<StoreOp> ops, CompletableFuture<Integer> answer) {
    boolean failed() {
      return answer.join() != KeeperException.Code.OK.intValue();
    }
  }

  private final CuratorFramework curator;
  private final WriteQueue<Pending> queue = new WriteQueue<>(QUEUE_CAPACITY);
  private final Thread writer;
  /** Paths the writer knows to exist; only the writer thread touches it. */
  private final Set<String> known = new HashSet<>();
  /**
   * Parents whose children are all in {@link #known}, listed once by the writer: creating 10,000 nodes under
   * one parent then costs one listing instead of 10,000 existence checks. Writer thread only.
   */
  private final Set<String> listed = new HashSet<>();
  /**
   * Nodes the writer created and has created nothing under (all of them in {@link #known}, and forgotten with
   * it): deleting one needs no existence check and no listing of its children (two round trips each; deleting
   * the instances of a removed app of 1,000 took half a second of the writer's time). Writer thread only.
   */
  private final Set<String> childless = new HashSet<>();
  /** Completes the commits of the multis answered, in the order answered. */
  private final ExecutorService completer = Executors.newSingleThreadExecutor(ZkStore::completerThread);
  /** Multis sent and not yet seen answered by the writer, oldest first. Writer thread only. */
  private final ArrayDeque<Sent> sent = new ArrayDeque<>();
  private volatile boolean closed;
  /**
   * Guards every write while set: null lets all writes through (a store no one else writes to); otherwise
   * each multi also checks the fence node's version, so that a master deposed by a newer leader (which
   * bumped the version) can no longer change anything. See {@link LeaderElection}.
   */
  private volatile Fence fence;
  private volatile boolean staleKnown;

  /** Writes succeed only while {@code path} still has {@code version}; {@code version} -1 refuses all. */
  record Fence(String path, int version, String why) {}

  private ZkStore(CuratorFramework curator) {
    this.curator = curator;
    this.writer = new Thread(this::writeLoop, "zk-store-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Connects to "host:port[,host:port…]", keeps every node under the namespace (e.g. "corral"), and waits
   * up to the timeout for the session.
   *
   * @throws StoreException when ZooKeeper cannot be reached in time
   */
  public static ZkStore connect(String connectString, String namespace, java.time.Duration timeout) {
    return connect(connectString, namespace, timeout, java.time.Duration.ofSeconds(30));
  }

  /**
   * As {@link #connect(String, String, java.time.Duration)} with a ZooKeeper session timeout: how long after
   * this process goes silent ZooKeeper drops its ephemeral nodes (a leader's latch, so the next is elected).
   */
  public static ZkStore connect(String connectString, String namespace, java.time.Duration timeout,
      java.time.Duration sessionTimeout) {
    ZKClientConfig client = new ZKClientConfig();
    client.setProperty(ZKClientConfig.JUTE_MAXBUFFER, Integer.toString(MAX_RESPONSE_BYTES));
    CuratorFramework curator = CuratorFrameworkFactory.builder()
        .zkClientConfig(client)
        .connectString(connectString)
        .namespace(namespace)
        .sessionTimeoutMs((int) sessionTimeout.toMillis())
        .connectionTimeoutMs((int) timeout.toMillis())
        .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
        .build();
    curator.start();
    try {
      if (!curator.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        curator.close();
        throw new StoreException("cannot reach ZooKeeper at " + connectString + " within " + timeout
            + "; check that it runs and the address is right");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      curator.close();
      throw new StoreException("interrupted while connecting to ZooKeeper", e);
    }
    return new ZkStore(curator);
  }

  /** The Curator client, for recipes such as leader latches. */
  public CuratorFramework curator() {
    return curator;
  }

  @Override
  public Optional<byte[]> get(String path) {
    try {
      return Optional.of(curator.getData().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new StoreException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public SortedMap<String, byte[]> childrenWithData(String path) {
    return childrenWithData(path, children(path));
  }

  /** The named children of {@code path} with their data; those that do not exist are left out. */
  SortedMap<String, byte[]> childrenWithData(String path, List<String> names) {
    List<String> paths = new ArrayList<>(names.size());
    for (String name : names) {
      paths.add(StorePaths.join(path, name));
    }
    OpResult[] results = readBatched(paths, p -> false);
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      byte[] data = null;
      if (results[i] instanceof OpResult.GetDataResult read) {
        data = read.getData();
      } else if (!(results[i] instanceof OpResult.ErrorResult error
          && error.getErr() == KeeperException.Code.NONODE.intValue())) { // NONODE: removed meanwhile
        // a lost connection mid-way: read again through Curator, which waits for the session to come back
        data = get(paths.get(i)).orElse(null);
      }
      if (data != null) {
        out.put(names.get(i), data);
      }
    }
    return out;
  }

  /**
   * Reads many nodes pipelined: ZooKeeper's own asynchronous multi-read, {@value #READ_BATCH} reads per
   * request, at most {@value #READ_WINDOW} reads in flight. One result per path, in order: a node's data, or
   * its children's names where {@code listChildren} says so, or an error result (NONODE: it does not exist);
   * null where the request got no answer (a lost connection).
   */
  public OpResult[] readBatched(List<String> paths, Predicate<String> listChildren) {
    OpResult[] results = new OpResult[paths.size()];
    int batches = (paths.size() + READ_BATCH - 1) / READ_BATCH;
    Semaphore window = new Semaphore(READ_WINDOW / READ_BATCH);
    CountDownLatch answered = new CountDownLatch(batches);
    try {
      org.apache.zookeeper.ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
      String namespace = curator.getNamespace();
      for (int from = 0; from < paths.size(); from += READ_BATCH) {
        int first = from;
        int to = Math.min(paths.size(), from + READ_BATCH);
        List<Op> reads = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          String p = paths.get(i);
          String full = namespace == null || namespace.isEmpty() ? p : ZKPaths.makePath(namespace, p);
          reads.add(listChildren.test(p) ? Op.getChildren(full) : Op.getData(full));
        }
        window.acquire();
        zk.multi(reads, (rc, x, ctx, answers) -> {
          // each read answers for itself; no answers at all (a lost connection) leaves the batch's nulls
          if (answers != null && answers.size() == to - first) {
            for (int i = first; i < to; i++) {
              results[i] = answers.get(i - first);
            }
          }
          window.release();
          answered.countDown();
        }, null);
      }
      answered.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while reading " + paths.size() + " nodes", e);
    } catch (Exception e) {
      throw new StoreException("cannot read " + paths.size() + " nodes: " + e.getMessage(), e);
    }
    return results;
  }

  @Override
  public List<String> children(String path) {
    try {
      List<String> names = new ArrayList<>(curator.getChildren().forPath(path));
      names.sort(null);
      return names;
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw new StoreException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CompletableFuture<Void> commit(List<StoreOp> ops) {
    return enqueue(ops, false);
  }

  /** Passes queued commits it shares no node with ({@link WriteQueue}). */
  @Override
  public CompletableFuture<Void> commitAhead(List<StoreOp> ops) {
    return enqueue(ops, true);
  }

  @Override
  public boolean backlogged() {
    return queue.size() >= BACKLOG;
  }

  private CompletableFuture<Void> enqueue(List<StoreOp> ops, boolean ahead) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new StoreException("store is closed"));
      return done;
    }
    for (StoreOp op : ops) {
      StorePaths.validate(op.path());
    }
    if (!queue.offer(new Pending(List.copyOf(ops), done), ahead)) {
      done.completeExceptionally(new StoreException("store write queue is full; retry later"));
    }
    return done;
  }

  private void writeLoop() {
    try {
      while (!closed) {
        List<Pending> batch = queue.takeBatch(200, TimeUnit.MILLISECONDS, MAX_BATCH_OPS, MAX_BATCH_BYTES,
            ZkStore::sizeOf);
        reapAnswered();
        if (batch.isEmpty()) {
          continue;
        }
        while (sent.size() >= MULTIS_IN_FLIGHT) {
          sent.peek().answer().get();
          reapAnswered();
        }
        try {
          send(batch);
        } catch (RuntimeException e) {
          // the writer must live on: a bug here fails this batch's commits, not every later one
          log.error("store write failed", e);
          batch.forEach(p -> p.done().completeExceptionally(new StoreException("store write failed: " + e, e)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("an answer future never fails", e);
    }
  }

  /**
   * Sends the batch's commits as one multi without waiting for the answer; a commit is done once its multi is
   * answered. What the multi creates and deletes counts as known at once, so that the next can be built on it.
   */
  private void send(List<Pending> batch) throws InterruptedException {
    List<StoreOp> all = new ArrayList<>();
    batch.forEach(p -> all.addAll(p.ops()));
    List<StoreOp> ops = batch.size() == 1 ? all : Coalesce.lastPutWins(all);
    List<CuratorOp> multi;
    org.apache.zookeeper.ZooKeeper zk;
    try {
      multi = build(ops);
      zk = multi == null ? null : curator.getZookeeperClient().getZooKeeper();
    } catch (Exception e) {
      // refused by the fence, or the existence checks failed: on their own, each after all sent before it
      forgetKnown();
      drainSent();
      writeEachAlone(batch, List.of());
      return;
    }
    if (multi == null) {
      batch.forEach(p -> p.done().complete(null));
      return;
    }
    Sent s = new Sent(batch, ops, new CompletableFuture<>());
    sent.add(s);
    List<Op> request = new ArrayList<>(multi.size());
    multi.forEach(op -> request.add(op.get()));
    // ZooKeeper's own asynchronous multi, not Curator's: Curator retries a request that lost its connection
    // later and on its own, which could apply it after the multis sent behind it.
    try {
      zk.multi(request, (rc, path, ctx, results) -> {
        if (rc == KeeperException.Code.OK.intValue()) {
          // not on ZooKeeper's event thread, which must stay free for the answers and watches behind this one
          completer.execute(() -> batch.forEach(p -> p.done().complete(null)));
        }
        s.answer().complete(rc);
      }, null);
    } catch (RuntimeException e) {
      log.warn("store multi not sent: {}", e.toString());
      s.answer().complete(KeeperException.Code.SYSTEMERROR.intValue());
    }
  }

  /** Forgets the answered multis at the head of the line; the first that failed puts its commits right. */
  private void reapAnswered() throws InterruptedException {
    while (!sent.isEmpty() && sent.peek().answer().isDone()) {
      if (sent.peek().failed()) {
        drainSent();
      } else {
        sent.poll();
      }
    }
  }

  /**
   * Waits for every multi sent, then writes the commits of those that failed again, each commit on its own and
   * in order (so that one bad commit fails only itself), leaving out what a later multi that succeeded has
   * overwritten: written after it, the older value would win.
   */
  private void drainSent() throws InterruptedException {
    List<Sent> all = new ArrayList<>(sent);
    sent.clear();
    for (Sent s : all) {
      try {
        s.answer().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        s.answer().complete(KeeperException.Code.OPERATIONTIMEOUT.intValue());
      }
    }
    if (all.stream().noneMatch(Sent::failed)) {
      return;
    }
    forgetKnown();
    for (int i = 0; i < all.size(); i++) {
      Sent s = all.get(i);
      if (!s.failed()) {
        continue;
      }
      log.warn("store multi of {} commit(s) failed ({}); writing each again alone", s.batch().size(),
          KeeperException.Code.get(s.answer().join()));
      List<StoreOp> later = new ArrayList<>();
      for (Sent after : all.subList(i + 1, all.size())) {
        if (!after.failed()) {
          later.addAll(after.ops());
        }
      }
      writeEachAlone(s.batch(), later);
    }
  }

  /** Writes each commit in its own multi, synchronously, without what {@code later} (applied) overwrote. */
  private void writeEachAlone(List<Pending> batch, List<StoreOp> later) {
    for (Pending p : batch) {
      if (closed) {
        p.done().completeExceptionally(new StoreException("store closed during the write"));
        continue;
      }
      try {
        apply(Coalesce.notOverwritten(p.ops(), later));
        p.done().complete(null);
      } catch (Exception e) {
        forgetKnown();
        log.warn("store commit failed: {}", e.toString());
        p.done().completeExceptionally(new StoreException("store commit failed: " + e.getMessage(), e));
      }
    }
  }

  /** Sets or clears the write fence; pending and later writes are checked against it. */
  void fence(Fence next) {
    this.fence = next;
    // Another leader may have written meanwhile: what the writer knows to exist is stale.
    this.staleKnown = true;
  }

  private static Thread completerThread(Runnable r) {
    Thread t = new Thread(r, "zk-store-done");
    t.setDaemon(true);
    return t;
  }

  /** Writes ops as one multi, missing parents created inside it, and waits for it. */
  private void apply(List<StoreOp> ops) throws Exception {
    List<CuratorOp> multi = build(ops);
    if (multi == null) {
      return;
    }
    try {
      curator.transaction().forOperations(multi);
    } catch (KeeperException.BadVersionException e) {
      forgetKnown();
      Fence f = fence;
      if (f != null) {
        throw new StoreException("not written: another master leads now (" + f.path() + " moved past version "
            + f.version() + ")", e);
      }
      throw e;
    } catch (Exception e) {
      forgetKnown();
      throw e;
    }
  }

  /**
   * The multi that writes ops, missing parents created inside it, checking the fence first; null when it
   * writes nothing. What it creates and deletes is recorded as known before it is sent: the caller forgets
   * what the writer knows if it fails.
   */
  private List<CuratorOp> build(List<StoreOp> ops) throws Exception {
    Fence f = fence;
    if (staleKnown) {
      staleKnown = false;
      forgetKnown();
    }
    if (f != null && f.version() < 0) {
      throw new StoreException("not written: " + f.why());
    }
    List<CuratorOp> multi = new ArrayList<>();
    if (f != null) {
      multi.add(curator.transactionOp().check().withVersion(f.version()).forPath(f.path()));
    }
    Set<String> createdHere = new HashSet<>();
    Set<String> deletedHere = new HashSet<>();
    for (StoreOp op : ops) {
      if (op instanceof StoreOp.Put put) {
        createMissingParents(put.path(), multi, createdHere, deletedHere);
        boolean exists = (createdHere.contains(put.path()) || exists(put.path())) && !deletedHere.contains(put.path());
        if (exists) {
          multi.add(curator.transactionOp().setData().forPath(put.path(), put.data()));
        } else {
          multi.add(curator.transactionOp().create().forPath(put.path(), put.data()));
          createdHere.add(put.path());
          deletedHere.remove(put.path());
          created(put.path());
        }
      } else {
        if (createdHere.contains(op.path())) {
          throw new StoreException("commit creates and deletes " + op.path());
        }
        boolean absent = listed.contains(StorePaths.parent(op.path())) && !known.contains(op.path());
        if (childless.contains(op.path())) { // known to exist, with nothing below
          multi.add(curator.transactionOp().delete().forPath(op.path()));
          deletedHere.add(op.path());
        } else if (!absent && curator.checkExists().forPath(op.path()) != null) {
          for (String p : descendantsDeepestFirst(op.path())) {
            multi.add(curator.transactionOp().delete().forPath(p));
            deletedHere.add(p);
          }
        }
      }
    }
    known.addAll(createdHere);
    known.removeAll(deletedHere);
    listed.removeAll(deletedHere);
    childless.removeAll(deletedHere);
    return multi.size() > (f == null ? 0 : 1) ? multi : null;
  }

  /** Whether the node exists, from what the writer knows, listing its parent's children the first time. */
  private boolean exists(String path) throws Exception {
    if (known.contains(path)) {
      return true;
    }
    String parent = StorePaths.parent(path);
    if (listed.contains(parent)) {
      return false;
    }
    try {
      for (String child : curator.getChildren().forPath(parent)) {
        known.add(StorePaths.join(parent, child));
      }
      listed.add(parent);
    } catch (KeeperException.NoNodeException e) {
      return false;
    }
    return known.contains(path);
  }

  private void forgetKnown() {
    known.clear();
    listed.clear();
    childless.clear();
  }

  /** Records a node created by the writer: it has no children, and its parent has one now. */
  private void created(String path) {
    childless.add(path);
    childless.remove(StorePaths.parent(path));
  }

  /**
   * Adds a create of each missing parent of {@code path} to the multi, outermost first, rather than writing
   * them on their own: a new app's version directory was one more ZooKeeper write (one more fsync) before its
   * commit. A parent created here has no children, so it counts as listed: its first child costs no listing.
   */
  private void createMissingParents(String path, List<CuratorOp> multi, Set<String> createdHere,
      Set<String> deletedHere) throws Exception {
    String parent = StorePaths.parent(path);
    if (parent.equals("/") || createdHere.contains(parent) || (!deletedHere.contains(parent) && exists(parent))) {
      return;
    }
    createMissingParents(parent, multi, createdHere, deletedHere);
    multi.add(curator.transactionOp().create().forPath(parent, new byte[0]));
    createdHere.add(parent);
    deletedHere.remove(parent);
    listed.add(parent);
    created(parent);
  }

  private List<String> descendantsDeepestFirst(String path) throws Exception {
    List<String> out = new ArrayList<>();
    for (String child : curator.getChildren().forPath(path)) {
      out.addAll(descendantsDeepestFirst(StorePaths.join(path, child)));
    }
    out.add(path);
    return out;
  }

  private static int sizeOf(Pending p) {
    int size = 0;
    for (StoreOp op : p.ops()) {
      size += op.path().length() + 64 + (op instanceof StoreOp.Put put ? put.data().length : 0);
    }
    return size;
  }

  @Override
  public void close() {
    closed = true;
    writer.interrupt();
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Pending p : queue.drain()) {
      p.done().completeExceptionally(new StoreException("store closed before the write"));
    }
    curator.close();
    completer.shutdown();
    for (Sent s : sent) {
      // no-ops for those answered
      s.batch().forEach(p -> p.done().completeExceptionally(new StoreException("store closed during the write")));
    }
  }
}

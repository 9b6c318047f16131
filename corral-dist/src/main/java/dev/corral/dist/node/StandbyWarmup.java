package dev.corral.dist.node;

import dev.corral.master.Master;
import dev.corral.services.ServiceScheduler;
import dev.corral.services.engine.Recovery;
import dev.corral.services.engine.ServicePaths;
import dev.corral.state.ZkStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby rehearses what a take-over runs and throws the result away, so that a take-over runs compiled
 * code: it reads the master's registry, and loads its copy of the services scheduler's state
 * ({@link dev.corral.services.engine.ServicesMirror}) into a throwaway service engine. In a JVM that had never
 * run them, reading 100,000 instances took about 1.9 s of the 3 s from winning the election to serving, and
 * loading them into the engine about a second. It rehearses again only when the instances have doubled since
 * (at least {@value #MIN_INSTANCES}), so a standby of a steady cluster does so once. Reads only; one daemon
 * thread that checks a node's child count every {@link #CHECK_EVERY}.
 */
final class StandbyWarmup implements AutoCloseable {
  static final int MIN_INSTANCES = 1_000;
  static final Duration CHECK_EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(StandbyWarmup.class);

  private final ZkStore store;
  private final BooleanSupplier leading;
  private final Supplier<Optional<Recovery.Recovered>> servicesCopy;
  private final int minInstances;
  private final Duration checkEvery;
  private final Thread thread;
  private volatile boolean closed;
  private int warmedAt;
  private volatile int reads;
  private volatile int lastRead;

  /** @param servicesCopy the standby's copy of the services' state; empty while it has none loaded */
  StandbyWarmup(ZkStore store, BooleanSupplier leading, Supplier<Optional<Recovery.Recovered>> servicesCopy) {
    this(store, leading, servicesCopy, MIN_INSTANCES, CHECK_EVERY);
  }

  StandbyWarmup(ZkStore store, BooleanSupplier leading, Supplier<Optional<Recovery.Recovered>> servicesCopy,
      int minInstances, Duration checkEvery) {
    this.store = store;
    this.leading = leading;
    this.servicesCopy = servicesCopy;
    this.minInstances = minInstances;
    this.checkEvery = checkEvery;
    this.thread = new Thread(this::run, "standby-warmup");
    thread.setDaemon(true);
  }

  /** How many times a take-over was rehearsed, and how many instances the last one loaded; for tests. */
  int reads() {
    return reads;
  }

  int lastRead() {
    return lastRead;
  }

  StandbyWarmup start() {
    thread.start();
    return this;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(checkEvery.toMillis());
        int instances = instanceCount();
        if (leading.getAsBoolean() || !due(instances, warmedAt, minInstances)) {
          continue;
        }
        long start = System.nanoTime();
        Optional<Recovery.Recovered> services = servicesCopy.get();
        if (services.isEmpty()) {
          continue; // the copy is still loading: next time
        }
        warmedAt = instances; // not what decodes: a few unreadable ones must not make it rehearse every time
        int agents = Master.readStoredState(store);
        ServiceScheduler.rehearseRecovery(services.get());
        lastRead = services.get().instances().size();
        reads++;
        log.info("standby: rehearsed a take-over ({} agents read, {} instances loaded) in {} ms", agents, lastRead,
            (System.nanoTime() - start) / 1_000_000);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        log.debug("standby warm-up skipped: {}", e.toString()); // only an optimization; a take-over reads anyway
      }
    }
  }

  /** Whether to rehearse now: enough instances to matter, and twice as many as at the last rehearsal. */
  static boolean due(int instances, int warmedAt, int minInstances) {
    return instances >= minInstances && instances >= 2L * warmedAt;
  }

  private int instanceCount() throws Exception {
    Stat stat = store.curator().checkExists().forPath(ServicePaths.INSTANCES);
    return stat == null ? 0 : stat.getNumChildren();
  }
}

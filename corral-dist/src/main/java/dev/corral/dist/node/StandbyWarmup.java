package dev.corral.dist.node;

import dev.corral.master.Master;
import dev.corral.services.ServiceScheduler;
import dev.corral.services.engine.Recovery;
import dev.corral.services.engine.ServicePaths;
import dev.corral.state.ZkStore;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby reads what a take-over reads (the master's registry, the services scheduler's apps and
 * instances), loads the latter into a throwaway service engine, and throws it all away, so that a take-over
 * runs compiled code: in a JVM that had never run it, reading and decoding 100,000 instances took about 1.9 s
 * of the 3 s from winning the election to serving, and loading them into the engine about a second.
 * It reads again only when the instances have doubled since (at least {@value #MIN_INSTANCES}), so a
 * standby of a steady cluster reads once. Reads only; one daemon thread that checks a node's child count
 * every {@link #CHECK_EVERY}.
 */
final class StandbyWarmup implements AutoCloseable {
  static final int MIN_INSTANCES = 1_000;
  static final Duration CHECK_EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(StandbyWarmup.class);

  private final ZkStore store;
  private final BooleanSupplier leading;
  private final int minInstances;
  private final Duration checkEvery;
  private final Thread thread;
  private volatile boolean closed;
  private int warmedAt;
  private volatile int reads;
  private volatile int lastRead;

  StandbyWarmup(ZkStore store, BooleanSupplier leading) {
    this(store, leading, MIN_INSTANCES, CHECK_EVERY);
  }

  StandbyWarmup(ZkStore store, BooleanSupplier leading, int minInstances, Duration checkEvery) {
    this.store = store;
    this.leading = leading;
    this.minInstances = minInstances;
    this.checkEvery = checkEvery;
    this.thread = new Thread(this::run, "standby-warmup");
    thread.setDaemon(true);
  }

  /** How many times the state was read, and how many instances the last read decoded; for tests. */
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
        if (!leading.getAsBoolean() && due(instances, warmedAt, minInstances)) {
          warmedAt = instances; // not what decodes: a few unreadable ones must not make it read every time
          long start = System.nanoTime();
          int agents = Master.readStoredState(store);
          Recovery.Recovered services = Recovery.load(store);
          ServiceScheduler.rehearseRecovery(services);
          int read = services.instances().size();
          lastRead = read;
          reads++;
          log.info("standby: read the state a take-over reads ({} agents, {} instances) in {} ms", agents, read,
              (System.nanoTime() - start) / 1_000_000);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        log.debug("standby warm-up skipped: {}", e.toString()); // only an optimization; a take-over reads anyway
      }
    }
  }

  /** Whether to read now: enough instances to matter, and twice as many as at the last read. */
  static boolean due(int instances, int warmedAt, int minInstances) {
    return instances >= minInstances && instances >= 2L * warmedAt;
  }

  private int instanceCount() throws Exception {
    Stat stat = store.curator().checkExists().forPath(ServicePaths.INSTANCES);
    return stat == null ? 0 : stat.getNumChildren();
  }
}

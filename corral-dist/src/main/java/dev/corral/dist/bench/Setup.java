package dev.corral.dist.bench;

import dev.corral.api.v1.TaskState;
import dev.corral.dist.bench.ServicesCluster.StoreKind;
import dev.corral.dist.bench.ServicesCluster.Transport;
import dev.corral.sim.SimulatedAgents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One scenario's cluster, ready to measure: the cluster up, every simulated agent registered, a probe app
 * running (so offers flow and the API has a small app to GET), and, unless disabled, a warm-up deployment
 * run and removed so that the figures are of a warm JVM rather than of the JIT compiler.
 */
final class Setup implements AutoCloseable {
  private static final int WARMUP_INSTANCES = 1_000;
  private static final int WARMUP_APPS = 200;

  final ServicesCluster cluster;
  final TaskCounter counter = new TaskCounter();
  final HttpApi api;
  SimulatedAgents agents;

  private Setup(ServicesCluster cluster) {
    this.cluster = cluster;
    this.api = new HttpApi(cluster.baseUrl());
  }

  static Setup start(ServicesBenchmark bench, StoreKind store, Transport transport, Path dir, int agentCount)
      throws Exception {
    long t0 = System.nanoTime();
    Setup s = new Setup(ServicesCluster.start(store, transport, dir));
    try {
      s.agents = SimulatedAgents.start(s.cluster.agentChannel(), bench.fleetConfig(agentCount), List.of(s.counter));
      if (!s.agents.awaitRegistered(Duration.ofMinutes(5))) {
        throw new IllegalStateException("only " + s.agents.stats().registered() + " of " + agentCount
            + " simulated agents registered within 5 minutes");
      }
      bench.say("  cluster up (store %s), %,d agents registered after %.1f s", store.name().toLowerCase(),
          agentCount, (System.nanoTime() - t0) / 1e9);
      LongAdder probe = s.counter.watch("bench_probe.", TaskState.TASK_RUNNING);
      s.api.createApp(HttpApi.sleepApp("/bench/probe", 1));
      bench.await("  probe RUNNING", probe, 1, System.nanoTime(), s.agents);
      if (bench.warmup()) {
        // Sized down on small fleets, which could not hold it all.
        s.warmUp(bench, Math.min(WARMUP_INSTANCES, agentCount * 10), Math.min(WARMUP_APPS, agentCount * 2));
      }
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  /** One app of {@code instances} and {@code apps} single-instance apps, run and removed. */
  private void warmUp(ServicesBenchmark bench, int instances, int apps) throws Exception {
    LongAdder running = counter.watch("warmup_", TaskState.TASK_RUNNING);
    LongAdder killed = counter.watch("warmup_", TaskState.TASK_KILLED);
    long t0 = System.nanoTime();
    api.createApp(HttpApi.sleepApp("/warmup/big", instances));
    for (int i = 0; i < apps; i++) {
      api.createApp(HttpApi.portlessSleepApp("/warmup/small-" + i, 1));
    }
    int total = instances + apps;
    bench.await("  warm-up RUNNING", running, total, t0, agents);
    api.delete("/v2/apps/warmup/big");
    for (int i = 0; i < apps; i++) {
      api.delete("/v2/apps/warmup/small-" + i);
    }
    bench.await("  warm-up KILLED", killed, total, t0, agents);
  }

  /** The scheduler goes first, so that it does not react to the agents leaving. */
  @Override
  public void close() {
    cluster.stopServices();
    if (agents != null) {
      agents.close();
      agents = null;
    }
    cluster.close();
  }
}

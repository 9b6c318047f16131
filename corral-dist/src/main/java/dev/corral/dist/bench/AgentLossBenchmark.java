package dev.corral.dist.bench;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThreadEventLoop;
import dev.corral.master.Master;
import dev.corral.master.MasterConfig;
import dev.corral.scheduler.GrpcSchedulerDriver;
import dev.corral.scheduler.Scheduler;
import dev.corral.sim.SimulatedAgents;
import dev.corral.state.MemoryStore;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Dead-agent detection with the master's default settings: a real master (in-process gRPC) with simulated
 * agents and one subscribed framework; some agents go silent (stream open, no heartbeats: a partition or a
 * hung host), others drop their stream (a crashed host). Prints, per kind, the time from the fault to the
 * master declaring the agent lost (its table polled every 20 ms; a FAILURE event to a framework, which
 * frameworks with tasks there get at that moment, counts too).
 */
@Command(name = "agent-loss", description = "Seconds from an agent's failure to the framework hearing of it.")
public final class AgentLossBenchmark implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--agents", defaultValue = "1000", description = "Simulated agents (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--lost", defaultValue = "50", description = "Agents lost of each kind (default: ${DEFAULT-VALUE}).")
  int lost;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    // Per-agent registration lines would drown the figures.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.corral"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    MasterConfig config = MasterConfig.defaults();
    String name = "agent-loss-" + UUID.randomUUID();
    ThreadEventLoop loop = new ThreadEventLoop("master", Clock.systemUTC());
    Map<String, Long> failures = new ConcurrentHashMap<>();
    try (MemoryStore store = new MemoryStore(); Master master = new Master(config, store, loop)) {
      master.start();
      InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
      for (BindableService s : master.services()) {
        builder.addService(s);
      }
      Server server = builder.build().start();
      ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
      GrpcSchedulerDriver driver = new GrpcSchedulerDriver(channel,
          FrameworkInfo.newBuilder().setName("bench").setRole("*").build(), new Scheduler() {
            @Override public void subscribed(String frameworkId) {}
            @Override public void offers(List<Offer> offers) {}
            @Override public void rescinded(String offerId) {}
            @Override public void update(TaskStatus status) {}
            @Override public void failure(String agentId, String message) {
              failures.putIfAbsent(agentId, System.nanoTime());
            }
            @Override public void disconnected(String reason) {}
          });
      driver.start();
      try (SimulatedAgents sims = SimulatedAgents.start(channel, agents, "cpus:16;mem:65536")) {
        if (!sims.awaitRegistered(Duration.ofSeconds(120))) {
          throw new IllegalStateException("agents did not register within 120 s");
        }
        out.printf(Locale.ROOT, "%d agents registered; default agent timeout %d s (heartbeats every %d s)%n",
            agents, config.agentHeartbeatTimeout().toSeconds(), config.agentHeartbeatTimeout().toSeconds() / 3);
        out.flush();
        Thread.sleep(2_000); // let a heartbeat round pass so that faults land at random points of it
        long[] silent = new long[lost];
        long[] crashed = new long[lost];
        long[] silentAt = new long[lost];
        long[] crashedAt = new long[lost];
        for (int i = 0; i < lost; i++) {
          silentAt[i] = System.nanoTime();
          sims.heartbeats(i, false);
          crashedAt[i] = System.nanoTime();
          sims.goOffline(lost + i);
          Thread.sleep(Math.max(1, 3_000 / lost)); // spread over one heartbeat interval
        }
        // The master tells frameworks with tasks there (FAILURE); these agents run none, so watch its table.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        java.util.Set<String> watched = new java.util.HashSet<>();
        for (int i = 0; i < 2 * lost; i++) {
          watched.add(sims.agentId(i));
        }
        while (System.nanoTime() < deadline && failures.size() < 2 * lost) {
          for (dev.corral.master.AgentEndpoint a : master.agents().get()) {
            if (!a.connected() && watched.contains(a.id())) {
              failures.putIfAbsent(a.id(), System.nanoTime());
            }
          }
          Thread.sleep(20);
        }
        for (int i = 0; i < lost; i++) {
          silent[i] = millisOr(failures.get(sims.agentId(i)), silentAt[i]);
          crashed[i] = millisOr(failures.get(sims.agentId(lost + i)), crashedAt[i]);
        }
        report(out, "silent (partition, stream open)", silent);
        report(out, "stream dropped (crashed host)", crashed);
        out.printf(Locale.ROOT, "target: <= 10 s with default settings (Mesos default: 75 s)%n");
      } finally {
        driver.close();
        channel.shutdownNow();
        server.shutdownNow();
      }
    } finally {
      loop.shutdown();
    }
    return 0;
  }

  private static long millisOr(Long at, long from) {
    return at == null ? -1 : (at - from) / 1_000_000;
  }

  private static void report(PrintWriter out, String kind, long[] millis) {
    long missed = java.util.Arrays.stream(millis).filter(m -> m < 0).count();
    Percentiles p = new Percentiles(java.util.Arrays.stream(millis).filter(m -> m >= 0).toArray());
    out.printf(Locale.ROOT, "%-33s detected: p50 %.2f s, p99 %.2f s, max %.2f s%s%n", kind, p.at(50) / 1000.0,
        p.at(99) / 1000.0, p.at(100) / 1000.0, missed > 0 ? " (" + missed + " never detected)" : "");
    out.flush();
  }
}

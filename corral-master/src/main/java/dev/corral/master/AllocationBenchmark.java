package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.Filters;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.common.ManualEventLoop;
import dev.corral.state.MemoryStore;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The allocator's cost, for {@code corral bench allocator}: one pass over many agents and roles (one
 * framework per role), measured two ways.
 * <ul>
 *   <li><b>planner</b>: {@link DrfPlanner#plan} alone over every agent, frameworks holding random shares;
 *   <li><b>full</b>: a real {@link Master} (in-memory store, manual loop) with every agent registered and every
 *       framework subscribed through the master's {@link FrameworkSender}, as over gRPC, on links that serialize
 *       what they are sent and keep the offer ids; one pass with all agents dirty. Timed twice: the pass on the
 *       loop (deciding, booking every offer and handing each framework's batch to the sender), and until the
 *       sender has built and serialized every offer message (<b>delivered</b>). Between passes the offers are
 *       declined without a filter (not timed).
 * </ul>
 * Both are measured after {@code warmup} passes: the first passes of a new master compile the pass's code and
 * move the registered cluster's state out of the young generation (collections of 50–160 ms), which a master
 * that runs for days does once. Not a test: it prints figures. Single-threaded, like the master's loop.
 */
public final class AllocationBenchmark {
  /** Milliseconds per pass, 50th and 99th percentile. */
  public record Figures(double plannerP50, double plannerP99, double fullP50, double fullP99, double deliveredP50,
      double deliveredP99) {}

  private static final String AGENT_RESOURCES = "cpus:16;mem:65536;disk:100000";

  private AllocationBenchmark() {}

  public static Figures run(int agents, int roles, int warmup, int passes, Consumer<String> progress) {
    double[] planner = planner(agents, roles, warmup, passes);
    progress.accept(String.format("planner: %d passes over %,d agents and %,d roles done", passes, agents, roles));
    double[][] full = full(agents, roles, warmup, passes, progress);
    return new Figures(percentile(planner, 50), percentile(planner, 99), percentile(full[0], 50),
        percentile(full[0], 99), percentile(full[1], 50), percentile(full[1], 99));
  }

  private static ResourceSet agentResources() {
    return ResourceSet.builder().scalar("cpus", 16).scalar("mem", 65536).scalar("disk", 100000).build();
  }

  private static double[] planner(int agents, int roles, int warmup, int passes) {
    Random random = new Random(42);
    ResourceSet each = agentResources();
    List<DrfPlanner.Candidate> candidates = new ArrayList<>(agents);
    for (int a = 0; a < agents; a++) {
      candidates.add(new DrfPlanner.Candidate("agent-" + a, each, false));
    }
    Scalars total = new Scalars(16.0 * agents, 65536.0 * agents, 100000.0 * agents, 0);
    List<DrfPlanner.Contender> frameworks = new ArrayList<>(roles);
    for (int r = 0; r < roles; r++) {
      double share = random.nextDouble() / roles;
      frameworks.add(new DrfPlanner.Contender("fw-" + r, "fw-" + r, "role-" + r, false,
          new Scalars(total.cpus() * share, total.mem() * share * random.nextDouble(), 0, 0), Map.of()));
    }
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    double[] millis = new double[passes];
    for (int warm = 0; warm < warmup; warm++) {
      DrfPlanner.plan(candidates, frameworks, total, now);
    }
    for (int p = 0; p < passes; p++) {
      long t0 = System.nanoTime();
      List<DrfPlanner.Grant> grants = DrfPlanner.plan(candidates, frameworks, total, now);
      millis[p] = (System.nanoTime() - t0) / 1e6;
      if (grants.size() != agents) {
        throw new IllegalStateException("expected one grant per agent, got " + grants.size());
      }
    }
    return millis;
  }

  /**
   * A link that serializes what it is sent, as gRPC would, and keeps only the ids of the offers (framework
   * links) or nothing (agent links).
   */
  private static final class SinkLink<M> implements Link<M> {
    final List<String> offerIds = new ArrayList<>();
    String frameworkId;
    long bytes;

    @Override
    public void send(M message) {
      if (message instanceof SchedulerEvent e) {
        bytes += e.toByteArray().length;
        if (e.hasSubscribed()) {
          frameworkId = e.getSubscribed().getFrameworkId();
        } else if (e.hasOffers()) {
          e.getOffers().getOffersList().forEach(o -> offerIds.add(o.getOfferId()));
        }
      }
    }

    @Override
    public void close(Status status) {}
  }

  /** Milliseconds per pass: on the loop, and until delivered. */
  private static double[][] full(int agents, int roles, int warmup, int passes, Consumer<String> progress) {
    ManualEventLoop loop = new ManualEventLoop();
    MasterConfig config = MasterConfig.defaults().withAgentHeartbeatTimeout(Duration.ofHours(1))
        .withSchedulerHeartbeatInterval(Duration.ofHours(1));
    List<Resource> resources = agentResources().toProto();
    try (MemoryStore store = new MemoryStore(); Master master = new Master(config, store, loop)) {
      master.start();
      List<SinkLink<SchedulerEvent>> frameworks = new ArrayList<>();
      for (int r = 0; r < roles; r++) {
        SinkLink<SchedulerEvent> link = new SinkLink<>();
        frameworks.add(link);
        master.subscriptions().subscribe(master.frameworkSender().serial(link),
            FrameworkInfo.newBuilder().setName("fw-" + r).setRole("role-" + r).build());
      }
      loop.runPending();
      for (int a = 0; a < agents; a++) {
        master.agentProtocol().received(new SinkLink<MasterMessage>(), AgentMessage.newBuilder()
            .setRegister(RegisterAgent.newBuilder().setInfo(AgentInfo.newBuilder().setHostname("host-" + a)
                .setAgentId("agent-" + a).addAllResources(resources))).build());
        if (a % 1000 == 999) {
          loop.runPending();
        }
      }
      loop.runPending();
      master.frameworkSender().flush();
      progress.accept(String.format("full: %,d agents registered, %,d frameworks subscribed", agents, roles));
      double[] onLoop = new double[passes];
      double[] delivered = new double[passes];
      for (int p = -warmup; p < passes; p++) {
        declineAll(master, frameworks, loop);
        master.allocator().allChanged();
        long t0 = System.nanoTime();
        master.allocator().allocate();
        long t1 = System.nanoTime();
        master.frameworkSender().flush();
        long t2 = System.nanoTime();
        loop.cancel(Allocator.TAG);
        int offered = frameworks.stream().mapToInt(f -> f.offerIds.size()).sum();
        if (offered != agents) {
          throw new IllegalStateException("expected one offer per agent, got " + offered);
        }
        if (p >= 0) {
          onLoop[p] = (t1 - t0) / 1e6;
          delivered[p] = (t2 - t0) / 1e6;
        }
      }
      return new double[][] {onLoop, delivered};
    }
  }

  private static void declineAll(Master master, List<SinkLink<SchedulerEvent>> frameworks, ManualEventLoop loop) {
    for (SinkLink<SchedulerEvent> f : frameworks) {
      if (!f.offerIds.isEmpty()) {
        master.offerCalls().decline(DeclineCall.newBuilder().setFrameworkId(f.frameworkId).addAllOfferIds(f.offerIds)
            .setFilters(Filters.newBuilder().setRefuseSeconds(0)).build());
        f.offerIds.clear();
      }
    }
    loop.runPending();
    loop.cancel(Allocator.TAG);
  }

  private static double percentile(double[] values, double percent) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}

package dev.corral.sim;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.TaskState;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A fleet of simulated agents in this JVM, each speaking the real {@code AgentChannel} protocol to a real
 * master over the given channel (in-process or network): they register, heartbeat, take tasks and report
 * them STARTING, RUNNING (or failed, as configured) and KILLED, with acknowledgements and resends, but run
 * no processes. Built for scale tests: 10,000 agents cost a few threads (the shards) and a few kilobytes
 * each.
 *
 * <pre>{@code
 * try (SimulatedAgents agents = SimulatedAgents.start(channel, 1000, "cpus:16;mem:32768;ports:[31000-32000]")) {
 *   agents.awaitRegistered(Duration.ofSeconds(30));
 *   ... post apps, then watch agents.stats().running() or a StatusListener ...
 * }
 * }</pre>
 *
 * <p>Faults for failover tests: {@link #goOffline} (a crash or partition: the stream is cancelled and the
 * agent stays away), {@link #connect} (it comes back and re-registers with its id and tasks),
 * {@link #heartbeats} (silent but connected). A master that ends streams (a restart, a new leader on the
 * same channel) sees every agent reconnect by itself with backoff.
 *
 * <p>Threading: the public methods are thread-safe. Agent {@code i} lives on shard {@code i % shards}, one
 * thread that owns its state and also runs its stream's gRPC callbacks.
 */
public final class SimulatedAgents implements AutoCloseable {
  /** As the real agent's {@code Agent.REREGISTRATION_SPREAD}. */
  static final Duration RECONNECT_SPREAD = Duration.ofSeconds(2);
  private final SimulationConfig config;
  private final List<Shard> shards = new ArrayList<>();
  private final List<SimAgent> agents = new ArrayList<>();
  private final Counters counters = new Counters();
  private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstRegistrations;
  private volatile boolean closed;

  private SimulatedAgents(Channel channel, SimulationConfig config) {
    this.config = config;
    this.firstRegistrations = new CountDownLatch(config.agents());
    for (int s = 0; s < config.shards(); s++) {
      shards.add(new Shard(s, 0x5EED + s));
    }
    for (int i = 0; i < config.agents(); i++) {
      Shard shard = shards.get(i % shards.size());
      SimAgent agent = new SimAgent(i, shard, config, channel, counters, listeners, firstRegistrations);
      agents.add(agent);
      shard.add(agent);
    }
  }

  /**
   * Starts {@code count} agents, each offering {@code resources} (Mesos notation, e.g.
   * {@code cpus:8;mem:16384;ports:[31000-32000]}) and carrying the same attributes; otherwise the defaults
   * of {@link SimulationConfig}. Returns at once; the agents register in the background.
   */
  public static SimulatedAgents start(Channel channel, int count, String resources, Attribute... attributes) {
    return start(channel, SimulationConfig.builder(count).resources(resources).attributes(List.of(attributes)).build());
  }

  /** Starts the fleet described by {@code config}; returns at once, the agents register in the background. */
  public static SimulatedAgents start(Channel channel, SimulationConfig config) {
    return start(channel, config, List.of());
  }

  /**
   * As {@link #start(Channel, SimulationConfig)}, with listeners in place before the first update (one added
   * later with {@link #addListener} may miss some).
   */
  public static SimulatedAgents start(Channel channel, SimulationConfig config, List<StatusListener> listeners) {
    SimulatedAgents fleet = new SimulatedAgents(channel, config);
    fleet.listeners.addAll(listeners);
    fleet.shards.forEach(Shard::start);
    for (SimAgent agent : fleet.agents) {
      fleet.shardOf(agent.index).execute(agent::connect);
    }
    if (channel instanceof ManagedChannel managed) {
      fleet.watchChannel(managed, managed.getState(false));
    }
    return fleet;
  }

  /**
   * As the real agent's link does: once the channel is ready again (a new leader was published), agents
   * waiting out their reconnect backoff (up to 5 s) reconnect, each after a random delay within
   * {@link #RECONNECT_SPREAD}, so that 10,000 of them do not all land on the new leader at once (their
   * backoff attempts wait while the channel connects, see {@code SimAgent#retry}).
   */
  private void watchChannel(ManagedChannel channel, ConnectivityState seen) {
    if (closed || channel.isShutdown()) {
      return;
    }
    if (seen == ConnectivityState.READY) {
      for (SimAgent agent : agents) {
        Duration jitter = Duration.ofMillis(ThreadLocalRandom.current().nextLong(RECONNECT_SPREAD.toMillis()));
        shardOf(agent.index).execute(() -> agent.channelReady(jitter));
      }
    }
    channel.notifyWhenStateChanged(seen, () -> watchChannel(channel, channel.getState(false)));
  }

  /** A text attribute, as the real agent's {@code --attributes rack:r1} gives. */
  public static Attribute attribute(String name, String value) {
    return Attribute.newBuilder().setName(name).setText(value).build();
  }

  public SimulationConfig config() {
    return config;
  }

  public int size() {
    return agents.size();
  }

  public void addListener(StatusListener listener) {
    listeners.add(listener);
  }

  public FleetStats stats() {
    return counters.snapshot(agents.size());
  }

  /** Waits until every agent has registered once; returns false on timeout. */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    return firstRegistrations.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The id the master gave agent {@code index}; "" before its first registration. */
  public String agentId(int index) {
    return onAgent(index, SimAgent::agentId);
  }

  /** Whether agent {@code index} is registered right now. */
  public boolean isRegistered(int index) {
    return onAgent(index, a -> a.state() == SimLinkState.REGISTERED);
  }

  /** Where agent {@code index}'s connection to the master stands right now. */
  SimLinkState linkState(int index) {
    return onAgent(index, SimAgent::state);
  }

  /** The tasks agent {@code index} holds, with their latest states (TASK_STAGING before the first update). */
  public Map<String, TaskState> tasks(int index) {
    return onAgent(index, SimAgent::taskStates);
  }

  /** Agent {@code index} drops its stream and stays away, its tasks kept, until {@link #connect}. */
  public void goOffline(int index) {
    onAgent(index, a -> {
      a.goOffline();
      return null;
    });
  }

  /** Agent {@code index} connects again (after {@link #goOffline}) and re-registers with its tasks. */
  public void connect(int index) {
    onAgent(index, a -> {
      a.connect();
      return null;
    });
  }

  /** Stops or resumes agent {@code index}'s heartbeats; its stream stays open. */
  public void heartbeats(int index, boolean on) {
    onAgent(index, a -> {
      a.heartbeats(on);
      return null;
    });
  }

  /** Half-closes every stream and stops the shards. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<CompletableFuture<Void>> stopped = new ArrayList<>();
    for (SimAgent agent : agents) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      shardOf(agent.index).execute(() -> {
        agent.stop();
        done.complete(null);
      });
      stopped.add(done);
    }
    try {
      CompletableFuture.allOf(stopped.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // shut the shards down regardless
    }
    shards.forEach(Shard::shutdown);
    for (Shard shard : shards) {
      try {
        shard.awaitTermination(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Shard shardOf(int index) {
    return shards.get(index % shards.size());
  }

  /** Runs {@code work} on the agent's shard and waits for its result. */
  private <T> T onAgent(int index, Function<SimAgent, T> work) {
    if (index < 0 || index >= agents.size()) {
      throw new IndexOutOfBoundsException("agent index " + index + " is outside 0.." + (agents.size() - 1));
    }
    if (closed) {
      throw new IllegalStateException("the simulated agents are closed");
    }
    SimAgent agent = agents.get(index);
    CompletableFuture<T> result = new CompletableFuture<>();
    shardOf(index).execute(() -> {
      try {
        result.complete(work.apply(agent));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for agent " + index, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("agent " + index + "'s shard did not answer within 30 s", e);
    }
  }
}

package dev.corral.agent.master;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentHeartbeat;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentRegistered;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.common.EventLoop;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's end of {@code AgentChannel.Connect}: opens the stream, registers, heartbeats, and reconnects
 * with backoff whenever the stream fails, ends or the master rejects the agent.
 *
 * <p>Threading: all methods run on the agent's event loop (asserted), which also owns the outgoing
 * {@link io.grpc.stub.StreamObserver} (not thread-safe). gRPC callbacks hop onto the loop, tagged with the
 * stream's generation so that late callbacks of an old stream are ignored. All state here is soft.
 *
 * <p>Leader epochs: every message of an elected master carries the epoch it leads in. The link remembers the
 * highest epoch it has seen (for the agent process's life) and refuses any message of a lower one,
 * registration answers included: such a master has been deposed, whether it knows it yet or not. The link
 * then leaves that master and reconnects, which finds the current leader. Epoch 0 means the master does not
 * say (a single master without an election, or one from before epochs, during a rolling upgrade): it is
 * followed as before.
 *
 * <p>Reconnecting after a failover: a {@link ManagedChannel} (the agent's, found through ZooKeeper or a
 * fixed address) connects to the next master by itself. A stream opened while it is still connecting would
 * be held by gRPC and open the moment it is ready, together with every other agent's that tried meanwhile:
 * thousands of re-registrations in one burst on a master that has just taken over. So a backoff attempt that
 * finds the channel connecting only waits, and once the channel is ready a waiting link reconnects after a
 * random delay within the reconnect spread, which spreads a whole cluster's re-registrations over it.
 */
public final class MasterLink {
  /** What the link needs from the agent; called on the loop. */
  public interface Handler {
    /** The RegisterAgent to open each stream with (current id and tasks). */
    RegisterAgent registration();

    void onRegistered(AgentRegistered registered);

    /** Any message other than registered/rejected, while registered. */
    void onMessage(MasterMessage message);
  }

  private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
  private static final String RECONNECT_TAG = "link-reconnect";
  private static final String HEARTBEAT_TAG = "link-heartbeat";
  private static final String READY_TAG = "link-channel-ready";

  private final EventLoop loop;
  private final AgentChannelGrpc.AgentChannelStub stub;
  private final Handler handler;
  private final Duration heartbeatInterval;
  private final Backoff backoff;
  private final Duration reconnectSpread;
  /** The channel whose readiness paces reconnects; null for a plain {@link Channel} (always tried at once). */
  private final ManagedChannel managed;
  private boolean watching;
  private LinkState state = LinkState.DISCONNECTED;
  private long generation;
  private ClientCallStreamObserver<AgentMessage> out;
  /** The highest leader epoch a master has shown this link (0: none yet). */
  private long highestEpoch;

  public MasterLink(EventLoop loop, Channel channel, Handler handler, Duration heartbeatInterval, Backoff backoff,
      Duration reconnectSpread) {
    this.loop = loop;
    this.stub = AgentChannelGrpc.newStub(channel);
    this.handler = handler;
    this.heartbeatInterval = heartbeatInterval;
    this.backoff = backoff;
    this.reconnectSpread = reconnectSpread;
    this.managed = channel instanceof ManagedChannel m ? m : null;
  }

  public LinkState state() {
    loop.assertInLoop();
    return state;
  }

  /** Opens a stream and registers; a no-op unless disconnected. */
  public void connect() {
    loop.assertInLoop();
    if (state != LinkState.DISCONNECTED) {
      return;
    }
    if (managed != null && !watching) {
      watching = true;
      watchChannel(managed.getState(false));
    }
    loop.cancel(READY_TAG); // connected by other means: a reconnect planned on a ready channel is stale
    move(LinkState.CONNECTING);
    long gen = ++generation;
    try {
      stub.connect(new ClientResponseObserver<AgentMessage, MasterMessage>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requests) {
          out = requests;
        }

        @Override
        public void onNext(MasterMessage message) {
          loop.execute(() -> received(gen, message));
        }

        @Override
        public void onError(Throwable t) {
          loop.execute(() -> dropped(gen, "stream failed: " + t));
        }

        @Override
        public void onCompleted() {
          loop.execute(() -> dropped(gen, "master ended the stream"));
        }
      });
      out.onNext(AgentMessage.newBuilder().setRegister(handler.registration()).build());
    } catch (RuntimeException e) {
      dropped(gen, "cannot open the stream: " + e);
    }
  }

  /** Reconnects at once when waiting to reconnect (the backoff starts over); a no-op otherwise. */
  public void reconnectNow() {
    loop.assertInLoop();
    if (state != LinkState.DISCONNECTED) {
      return;
    }
    loop.cancel(RECONNECT_TAG);
    backoff.reset();
    connect();
  }

  /** Sends a message while registered; returns false (and sends nothing) otherwise. */
  public boolean send(AgentMessage message) {
    loop.assertInLoop();
    if (state != LinkState.REGISTERED) {
      return false;
    }
    try {
      out.onNext(message);
      return true;
    } catch (RuntimeException e) {
      log.debug("send failed: {}", e.toString());
      return false;
    }
  }

  /** Half-closes the stream (what was sent is still delivered) and stops reconnecting. */
  public void close() {
    loop.assertInLoop();
    if (state == LinkState.CLOSED) {
      return;
    }
    ClientCallStreamObserver<AgentMessage> stream = out;
    boolean open = state != LinkState.DISCONNECTED;
    move(LinkState.CLOSED);
    loop.cancel(RECONNECT_TAG);
    loop.cancel(READY_TAG);
    loop.cancel(HEARTBEAT_TAG);
    out = null;
    if (open && stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException e) {
        log.debug("close failed: {}", e.toString());
      }
    }
  }

  private void received(long gen, MasterMessage message) {
    if (gen != generation || state == LinkState.CLOSED) {
      return;
    }
    // 0: the master does not say (one without an election, or of a version before epochs): followed as before
    if (message.getLeaderEpoch() != 0 && message.getLeaderEpoch() < highestEpoch) {
      log.warn("refused {} from a master of leader epoch {}: a master of epoch {} has led since, so this one"
          + " was deposed; leaving it", message.getKindCase(), message.getLeaderEpoch(), highestEpoch);
      ClientCallStreamObserver<AgentMessage> stream = out;
      dropped(gen, "the master's leader epoch " + message.getLeaderEpoch() + " is stale");
      if (stream != null) {
        stream.cancel("stale leader epoch", null);
      }
      return;
    }
    highestEpoch = Math.max(highestEpoch, message.getLeaderEpoch());
    switch (message.getKindCase()) {
      case REGISTERED:
        if (state == LinkState.CONNECTING) {
          move(LinkState.REGISTERED);
          backoff.reset();
          log.info("registered with the master as agent {}", message.getRegistered().getAgentId());
          handler.onRegistered(message.getRegistered());
          heartbeat(gen);
        }
        break;
      case REJECTED:
        log.warn("master rejected the agent: {}; retrying", message.getRejected().getReason());
        ClientCallStreamObserver<AgentMessage> stream = out;
        dropped(gen, "rejected");
        if (stream != null) {
          stream.cancel("rejected by the master", null);
        }
        break;
      default:
        if (state == LinkState.REGISTERED) {
          handler.onMessage(message);
        }
        break;
    }
  }

  private void dropped(long gen, String why) {
    if (gen != generation || state == LinkState.CLOSED || state == LinkState.DISCONNECTED) {
      return;
    }
    generation++; // whatever the old stream still says is stale from now on
    move(LinkState.DISCONNECTED);
    out = null;
    loop.cancel(HEARTBEAT_TAG);
    Duration delay = backoff.next();
    log.info("disconnected from the master ({}); reconnecting in {} ms", why, delay.toMillis());
    loop.schedule(RECONNECT_TAG, delay, this::retry);
  }

  /** A backoff attempt: connects, unless the channel is still connecting (see the class comment). */
  private void retry() {
    if (state != LinkState.DISCONNECTED) {
      return;
    }
    if (managed != null) {
      ConnectivityState channel = managed.getState(true); // an idle channel starts connecting now
      if (channel == ConnectivityState.CONNECTING || channel == ConnectivityState.IDLE) {
        Duration delay = backoff.next();
        log.debug("the channel to the master is connecting; reconnecting once it is ready or in {} ms",
            delay.toMillis());
        loop.schedule(RECONNECT_TAG, delay, this::retry);
        return;
      }
    }
    connect();
  }

  /** Follows the channel's state for the link's life; a ready channel brings a waiting link back. */
  private void watchChannel(ConnectivityState seen) {
    managed.notifyWhenStateChanged(seen, () -> loop.execute(() -> {
      if (state == LinkState.CLOSED || managed.isShutdown()) {
        return;
      }
      ConnectivityState now = managed.getState(false);
      if (now == ConnectivityState.READY && state == LinkState.DISCONNECTED) {
        long spread = Math.max(1, reconnectSpread.toMillis());
        Duration delay = Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread));
        log.info("the channel to the master is ready; reconnecting in {} ms", delay.toMillis());
        loop.schedule(READY_TAG, delay, this::reconnectNow);
      }
      watchChannel(now);
    }));
  }

  private void heartbeat(long gen) {
    if (gen != generation || state != LinkState.REGISTERED) {
      return;
    }
    send(AgentMessage.newBuilder()
        .setHeartbeat(AgentHeartbeat.newBuilder().setSentAtMillis(loop.clock().millis())).build());
    loop.schedule(HEARTBEAT_TAG, heartbeatInterval, () -> heartbeat(gen));
  }

  private void move(LinkState next) {
    state = LinkState.TRANSITIONS.check(state, next);
  }
}

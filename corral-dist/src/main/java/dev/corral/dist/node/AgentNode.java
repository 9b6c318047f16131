package dev.corral.dist.node;

import dev.corral.agent.Agent;
import dev.corral.agent.AgentConfig;
import dev.corral.agent.files.FilesConfig;
import dev.corral.api.leader.ZkTarget;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** An agent connected to a master, over the network or an in-process channel. */
public final class AgentNode implements AutoCloseable {
  private final Agent agent;
  private final ManagedChannel channel;

  public AgentNode(AgentConfig config, ManagedChannel channel) {
    this(config, FilesConfig.noServer(), channel);
  }

  /** With the files and logs HTTP API and log rotation as {@code files} says. */
  public AgentNode(AgentConfig config, FilesConfig files, ManagedChannel channel) {
    this.channel = channel;
    this.agent = new Agent(config, files, channel, Clock.systemUTC());
  }

  /** Connects to "host:port" over plain-text gRPC. */
  public static ManagedChannel networkChannel(String master) {
    if (master.startsWith("zk://")) {
      // follows the leading master named in ZooKeeper (dev.corral.api.leader.ZkLeaderResolverProvider)
      String target = ZkTarget.parse(master).channelTarget();
      // Pings find a master that hangs (a long pause) with the agent's stream still open, so that the
      // agent moves to the next leader rather than wait on a master that has been deposed meanwhile.
      return NettyChannelBuilder.forTarget(target).usePlaintext()
          .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS).build();
    }
    int colon = master.lastIndexOf(':');
    if (colon <= 0 || colon == master.length() - 1) {
      throw new IllegalArgumentException("--master must be host:port or zk://host:port[,host:port…]/root, got '"
          + master + "'");
    }
    return NettyChannelBuilder.forAddress(master.substring(0, colon), Integer.parseInt(master.substring(colon + 1)))
        .usePlaintext()
        .build();
  }

  public AgentNode start() {
    agent.start();
    if (ZkTarget.AUTHORITY.equals(channel.authority())) {
      watchChannel(channel.getState(true));
    }
    return this;
  }

  /**
   * Once a new leader is published the channel connects to it by itself; the agent's link would only try
   * again after its backoff (up to seconds), so tell it as soon as the channel is ready.
   */
  private void watchChannel(ConnectivityState seen) {
    if (channel.isShutdown()) {
      return;
    }
    if (seen == ConnectivityState.READY) {
      agent.masterReachable();
    }
    channel.notifyWhenStateChanged(seen, () -> watchChannel(channel.getState(true)));
  }

  public Agent agent() {
    return agent;
  }

  /** Stops the agent; tasks keep running unless {@code killTasks}. */
  public void stop(boolean killTasks) {
    agent.stop(killTasks);
    channel.shutdownNow();
  }

  @Override
  public void close() {
    stop(false);
  }
}

package dev.corral.dist.node;

import dev.corral.agent.Agent;
import dev.corral.api.ClusterSecret;
import dev.corral.agent.AgentConfig;
import dev.corral.agent.files.FilesConfig;
import dev.corral.api.leader.ZkTarget;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import dev.corral.vip.VipFollower;
import dev.corral.vip.VipProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An agent connected to a master, over the network or an in-process channel, with the VIP proxy of its node
 * when asked ({@link #withVipProxy}).
 */
public final class AgentNode implements AutoCloseable {
  private final Agent agent;
  private final ManagedChannel channel;
  private VipProxy vipProxy;
  private VipFollower vipFollower;

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
    return networkChannel(master, null);
  }

  /** As above, presenting {@code secret} (null: none) with every call. */
  public static ManagedChannel networkChannel(String master, ClusterSecret secret) {
    if (master.startsWith("zk://")) {
      // follows the leading master named in ZooKeeper (dev.corral.api.leader.ZkLeaderResolverProvider)
      String target = ZkTarget.parse(master).channelTarget();
      // Pings find a master that hangs (a long pause) with the agent's stream still open, so that the
      // agent moves to the next leader rather than wait on a master that has been deposed meanwhile.
      NettyChannelBuilder zkBuilder = NettyChannelBuilder.forTarget(target).usePlaintext()
          .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS);
      if (secret != null) {
        zkBuilder.intercept(secret.clientInterceptor());
      }
      return zkBuilder.build();
    }
    int colon = master.lastIndexOf(':');
    if (colon <= 0 || colon == master.length() - 1) {
      throw new IllegalArgumentException("--master must be host:port or zk://host:port[,host:port…]/root, got '"
          + master + "'");
    }
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(master.substring(0, colon),
        Integer.parseInt(master.substring(colon + 1))).usePlaintext();
    if (secret != null) {
      builder.intercept(secret.clientInterceptor());
    }
    return builder.build();
  }

  /**
   * Runs the VIP proxy on this node (before {@link #start}): it listens where {@code listen} says for each VIP
   * and balances over the tasks the master's table names. {@code master} is the master's HTTP API, followed with
   * {@link VipFollower}; null when the caller feeds {@link #vipProxy()} itself (the master in this process).
   */
  public AgentNode withVipProxy(UnaryOperator<InetAddress> listen, URI master) throws IOException {
    vipProxy = new VipProxy(listen, VipProxy.DEFAULT_UDP_IDLE, Clock.systemUTC());
    if (master != null) {
      vipFollower = new VipFollower(master, vipProxy::update);
    }
    return this;
  }

  /** The node's VIP proxy; null without one. */
  public VipProxy vipProxy() {
    return vipProxy;
  }

  public AgentNode start() {
    agent.start();
    if (vipProxy != null) {
      vipProxy.start();
    }
    if (vipFollower != null) {
      vipFollower.start();
    }
    return this;
  }

  public Agent agent() {
    return agent;
  }

  /** Stops the agent; tasks keep running unless {@code killTasks}. */
  public void stop(boolean killTasks) {
    if (vipFollower != null) {
      vipFollower.close();
    }
    if (vipProxy != null) {
      vipProxy.close();
    }
    agent.stop(killTasks);
    channel.shutdownNow();
  }

  @Override
  public void close() {
    stop(false);
  }
}

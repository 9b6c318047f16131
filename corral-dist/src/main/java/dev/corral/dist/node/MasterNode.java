package dev.corral.dist.node;

import dev.corral.api.leader.LeaderInfo;
import dev.corral.api.leader.ZkTarget;
import dev.corral.dns.DnsConfig;
import dev.corral.gateway.LeaderProxy;
import dev.corral.services.placement.GpuSchedulingBehavior;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.LeaderElection;
import dev.corral.state.ZkPeer;
import dev.corral.state.ZkStore;
import io.grpc.ManagedChannel;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master node: the ZooKeeper store (a private embedded server, one member of an embedded ensemble, or an
 * external ensemble) and the master's work ({@link LeaderTerm}: master, schedulers, HTTP API).
 *
 * <p>With a private embedded ZooKeeper no other master can share the store, so the node simply leads.
 * Otherwise it joins the leader election ({@link LeaderElection}): while standing by, its HTTP port forwards
 * every request to the leader ({@link LeaderProxy}) and its gRPC port is closed (agents and schedulers find
 * the leader through ZooKeeper); on winning it starts a {@link LeaderTerm} on the same ports, and on losing
 * it closes the term and stands by again.
 */
public final class MasterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterNode.class);

  /**
   * How to run the node. {@code zk} null and no {@code zkPeers} means an embedded ZooKeeper with data under
   * the work dir; {@code zkPeers} (with this node's {@code zkPeerId}) runs one member of an embedded
   * ensemble; {@code zk} names an external ensemble ({@code host:port,…[/root]}).
   */
  public record Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
      GpuSchedulingBehavior gpuScheduling, List<ZkPeer> zkPeers, int zkPeerId, Duration zkSessionTimeout) {
    public Options {
      zkPeers = List.copyOf(zkPeers);
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
        GpuSchedulingBehavior gpuScheduling) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, gpuScheduling, List.of(), 0,
          Duration.ofSeconds(30));
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, GpuSchedulingBehavior.RESTRICTED);
    }

    Options withPorts(int http, int grpc) {
      return new Options(workDir, zk, bindAddress, http, grpc, hostname, gpuScheduling, zkPeers, zkPeerId,
          zkSessionTimeout);
    }

    /** Whether other masters may share the store, so that this one must be elected to act. */
    boolean elected() {
      return zk != null || !zkPeers.isEmpty();
    }
  }

  private Options options;
  private final List<AutoCloseable> started = new ArrayList<>();
  private EmbeddedZooKeeper embeddedZk;
  private ZkTarget zkTarget;
  private ZkStore store;
  private DnsConfig dns;
  private LeaderElection election;
  private CuratorCache leaderCache;
  /** The current term, while leading; swapped on the election thread only. */
  private volatile LeaderTerm term;
  /** The forwarding HTTP server, while standing by; election thread only (and start/close). */
  private Javalin standby;
  private LeaderProxy proxy;
  private volatile boolean closing;

  public MasterNode(Options options) {
    this.options = options;
  }

  /** Runs the DNS server, the discovery endpoint and the VIP proxy too (docs/dns.md); before {@link #start}. */
  public MasterNode withDns(DnsConfig config) {
    this.dns = config;
    return this;
  }

  /**
   * Starts the store and either the master's work (no election) or the election, with the standby's
   * forwarding HTTP server until it wins. Returns without waiting for leadership.
   */
  public MasterNode start() throws IOException {
    Duration connectWait = Duration.ofSeconds(30);
    if (!options.zkPeers().isEmpty()) {
      embeddedZk = EmbeddedZooKeeper.startPeer(options.workDir().resolve("zookeeper"), options.zkPeers(),
          options.zkPeerId());
      started.add(embeddedZk);
      zkTarget = new ZkTarget(embeddedZk.connectString(), ZkTarget.DEFAULT_NAMESPACE);
      connectWait = Duration.ofMinutes(5); // the other members may start later; a quorum is needed first
    } else if (options.zk() != null) {
      zkTarget = ZkTarget.parse(options.zk());
    } else {
      embeddedZk = EmbeddedZooKeeper.start(options.workDir().resolve("zookeeper"), 0);
      started.add(embeddedZk);
      zkTarget = new ZkTarget(embeddedZk.connectString(), ZkTarget.DEFAULT_NAMESPACE);
    }
    store = ZkStore.connect(zkTarget.connect(), zkTarget.namespace(), connectWait, options.zkSessionTimeout());
    started.add(store);

    if (!options.elected()) {
      term = LeaderTerm.start(options, store, dns);
      started.add(() -> closeTerm());
      return this;
    }
    // Standby and leader serve on the same ports, so pick them now.
    options = options.withPorts(options.httpPort() == 0 ? freePort() : options.httpPort(),
        options.grpcPort() == 0 ? freePort() : options.grpcPort());
    leaderCache = CuratorCache.build(store.curator(), LeaderInfo.PATH, CuratorCache.Options.SINGLE_NODE_CACHE);
    leaderCache.start();
    started.add(leaderCache::close);
    proxy = new LeaderProxy(this::leaderHttp, advertisedHttp());
    started.add(proxy);
    startStandby();
    started.add(this::stopStandby);
    election = new LeaderElection(store, advertisedHttp(), new LeaderElection.Listener() {
      @Override
      public byte[] elected(long epoch) throws Exception {
        stopStandby();
        try {
          term = LeaderTerm.start(options, store, dns);
        } catch (IOException | RuntimeException e) {
          startStandby();
          throw e;
        }
        return new LeaderInfo(advertisedHttp(), options.hostname(), advertisedHttp(),
            options.hostname() + ":" + options.grpcPort(), epoch).toBytes();
      }

      @Override
      public void deposed() {
        closeTerm();
        if (closing) {
          return;
        }
        try {
          startStandby();
        } catch (IOException e) {
          log.error("cannot serve as a standby after stepping down: {}", e.getMessage());
        }
      }
    });
    election.start();
    started.add(election);
    return this;
  }

  private void closeTerm() {
    LeaderTerm t = term;
    term = null;
    if (t != null) {
      t.close();
    }
  }

  private synchronized void startStandby() throws IOException {
    if (standby != null) {
      return;
    }
    Javalin server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      proxy.install(config);
    });
    startHttp(server, options);
    standby = server;
  }

  private synchronized void stopStandby() {
    if (standby != null) {
      standby.stop();
      standby = null;
    }
  }

  /** The leader's HTTP address from ZooKeeper; empty while none is published or when it is this node. */
  private Optional<String> leaderHttp() {
    Optional<ChildData> node = leaderCache.get(LeaderInfo.PATH);
    if (node.isEmpty() || node.get().getData() == null) {
      return Optional.empty();
    }
    try {
      String http = LeaderInfo.fromBytes(node.get().getData()).http();
      return http.equals(advertisedHttp()) ? Optional.empty() : Optional.of(http);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The current leader as ZooKeeper names it, if any. */
  public Optional<LeaderInfo> leader() {
    if (leaderCache == null) {
      return Optional.empty();
    }
    return leaderCache.get(LeaderInfo.PATH).flatMap(d -> {
      try {
        return Optional.of(LeaderInfo.fromBytes(d.getData()));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  private String advertisedHttp() {
    return options.hostname() + ":" + options.httpPort();
  }

  static void startHttp(Javalin http, Options options) throws IOException {
    try {
      http.start(options.bindAddress(), options.httpPort());
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IOException io) {
        throw LeaderTerm.portInUse(io, "HTTP", options.httpPort(), "--http-port");
      }
      throw e;
    }
  }

  private int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(options.bindAddress()))) {
      return s.getLocalPort();
    }
  }

  /** A channel to this master over the in-process transport, for agents and schedulers in this JVM. */
  public ManagedChannel inProcessChannel() {
    return current().inProcessChannel();
  }

  private LeaderTerm current() {
    LeaderTerm t = term;
    if (t == null) {
      throw new IllegalStateException("this master does not lead now");
    }
    return t;
  }

  public int httpPort() {
    LeaderTerm t = term;
    return t != null ? t.httpPort() : options.httpPort();
  }

  public int grpcPort() {
    LeaderTerm t = term;
    return t != null ? t.grpcPort() : options.grpcPort();
  }

  /** The DNS server's port; -1 without one (or while standing by). */
  public int dnsPort() {
    LeaderTerm t = term;
    return t == null ? -1 : t.dnsPort();
  }

  /** Whether this node takes part in a leader election (others may share its ZooKeeper). */
  public boolean elected() {
    return options.elected();
  }

  /** Where clients of this cluster's ZooKeeper connect, with the root: zk://hosts/root. */
  public String zkTarget() {
    return zkTarget.toString();
  }

  public String zkConnectString() {
    return zkTarget.connect();
  }

  public boolean embeddedZooKeeper() {
    return embeddedZk != null;
  }

  /** Stops the service scheduler first, so that it does not react to tasks killed during shutdown. */
  public void stopServices() {
    LeaderTerm t = term;
    if (t != null) {
      t.stopServices();
    }
  }

  @Override
  public void close() {
    closing = true;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
    started.clear();
  }
}

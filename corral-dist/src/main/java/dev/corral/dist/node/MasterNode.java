package dev.corral.dist.node;

import dev.corral.api.leader.LeaderInfo;
import dev.corral.api.leader.ZkTarget;
import dev.corral.dns.DnsConfig;
import dev.corral.dns.DnsServer;
import dev.corral.dns.RecordTable;
import dev.corral.dns.RecordTableBuilder;
import dev.corral.gateway.LeaderProxy;
import dev.corral.services.engine.Recovery;
import dev.corral.services.engine.ServicesMirror;
import dev.corral.services.placement.GpuSchedulingBehavior;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.LeaderElection;
import dev.corral.state.ZkPeer;
import dev.corral.state.ZkStore;
import io.grpc.ManagedChannel;
import dev.corral.common.HttpServers;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
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
      GpuSchedulingBehavior gpuScheduling, boolean authentication, List<ZkPeer> zkPeers, int zkPeerId,
      Duration zkSessionTimeout) {
    public Options {
      zkPeers = List.copyOf(zkPeers);
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
        GpuSchedulingBehavior gpuScheduling, List<ZkPeer> zkPeers, int zkPeerId, Duration zkSessionTimeout) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, gpuScheduling, false, zkPeers, zkPeerId,
          zkSessionTimeout);
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
        GpuSchedulingBehavior gpuScheduling, boolean authentication) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, gpuScheduling, authentication, List.of(), 0,
          Duration.ofSeconds(30));
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
        GpuSchedulingBehavior gpuScheduling) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, gpuScheduling, false);
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, GpuSchedulingBehavior.RESTRICTED);
    }

    Options withPorts(int http, int grpc) {
      return new Options(workDir, zk, bindAddress, http, grpc, hostname, gpuScheduling, authentication, zkPeers,
          zkPeerId, zkSessionTimeout);
    }

    /** Whether other masters may share the store, so that this one must be elected to act. */
    boolean elected() {
      return zk != null || !zkPeers.isEmpty();
    }
  }

  /**
   * HTTPS on the gateway: certificate chain and key files (PEM), or both null for a certificate issued by the
   * cluster CA.
   */
  public record Tls(Path certFile, Path keyFile) {}

  /** Where the master keeps the cluster secret for agents started beside it ({@code --secret-file}). */
  public static final String SECRET_FILE = "cluster-secret";
  /** In the work dir of the master that created the first administrator: that account's password. */
  public static final String ADMIN_PASSWORD_FILE = "admin-password";
  /** The account the first leader creates on a new cluster. */
  public static final String ADMIN = "admin";

  private Options options;
  private Tls tls;
  private java.util.function.UnaryOperator<dev.corral.master.MasterConfig> masterConfig = c -> c;
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
  /** While standing by: the services' state as a take-over would read it, kept current. */
  private ServicesMirror mirror;
  private LeaderProxy proxy;
  private volatile LeaderWatch leaderWatch;
  private volatile boolean closing;
  private DnsServer standbyDns;
  /** Binding the standby's DNS port, until it succeeds or this master leads again; null otherwise. */
  private Thread standbyDnsStarter;
  /** A domain no query asks for, so that a standby's DNS forwards everything. */
  private static final String STANDBY_DOMAIN = "standby.invalid";
  /** How long a new leader waits for its copy to catch up with the last writes before it reads the store. */
  private static final Duration COPY_WAIT = Duration.ofSeconds(5);

  public MasterNode(Options options) {
    this.options = options;
  }

  /** Runs the DNS server and the discovery endpoint (with the VIP table agents follow) too (docs/dns.md); before {@link #start}. */
  public MasterNode withDns(DnsConfig config) {
    this.dns = config;
    return this;
  }

  /** Adjusts the master's settings (e.g. the agent timeout) from the defaults; before {@link #start}. */
  public MasterNode withMasterConfig(java.util.function.UnaryOperator<dev.corral.master.MasterConfig> adjust) {
    this.masterConfig = adjust;
    return this;
  }

  /** Serves the HTTP API over TLS; before {@link #start}. */
  public MasterNode withTls(Tls settings) {
    this.tls = settings;
    return this;
  }

  /** A term's settings; {@code epoch} is the election's (0 for a master that leads without one). */
  private LeaderTerm.Settings termSettings(long epoch) {
    return termSettings(epoch, null);
  }

  /** With the standby's copy of the services' state, if it has one. */
  private LeaderTerm.Settings termSettings(long epoch, ServicesMirror copy) {
    return new LeaderTerm.Settings(c -> masterConfig.apply(c).withLeaderEpoch(epoch), tls,
        copy == null ? Optional::empty : () -> copy.recovered(COPY_WAIT));
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
      term = LeaderTerm.start(options, store, dns, termSettings(0), () -> {});
      started.add(() -> closeTerm());
      return this;
    }
    // Standby and leader serve on the same ports, so pick them now.
    options = options.withPorts(options.httpPort() == 0 ? freePort() : options.httpPort(),
        options.grpcPort() == 0 ? freePort() : options.grpcPort());
    if (dns != null && dns.port() == 0) {
      dns = new DnsConfig(dns.bindAddress(), freePort(), dns.domain(), dns.ttl(), dns.upstreams());
    }
    leaderCache = CuratorCache.build(store.curator(), LeaderInfo.PATH, CuratorCache.Options.SINGLE_NODE_CACHE);
    leaderCache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, before, after) -> {
          LeaderWatch watch = leaderWatch;
          if (watch != null) {
            watch.leaderChanged();
          }
        }).build());
    leaderCache.start();
    started.add(leaderCache::close);
    proxy = new LeaderProxy(this::leaderHttp, advertisedHttp()).withOutage(this::zooKeeperOutage);
    started.add(proxy);
    startStandby();
    started.add(this::stopStandby);
    election = new LeaderElection(store, advertisedHttp(), new LeaderElection.Listener() {
      @Override
      public byte[] elected(long epoch) throws Exception {
        ServicesMirror copy = takeMirror();
        stopStandby();
        try {
          // Agents may come back before the HTTP API, DNS and the job scheduler have started.
          term = LeaderTerm.start(options, store, dns, termSettings(epoch, copy), () -> announce(epoch));
        } catch (IOException | RuntimeException e) {
          startStandby();
          throw e;
        } finally {
          if (copy != null) {
            copy.close();
          }
        }
        return leaderInfo(epoch, Math.max(0, term.dnsPort()), false).toBytes();
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
    // After the election closed: a term whose stop the election gave up waiting for is closed here.
    started.add(this::closeTerm);
    election.start();
    started.add(election);
    LeaderElection elected = election;
    leaderWatch = new LeaderWatch(this::leaderToWatch, dead -> elected.evict(dead.session())).start();
    started.add(leaderWatch);
    started.add(new StandbyWarmup(store, () -> term != null, this::standbyCopy).start());
    return this;
  }

  private LeaderInfo leaderInfo(long epoch, int dnsPort, boolean starting) {
    return new LeaderInfo(advertisedHttp(), options.hostname(), advertisedHttp(),
        options.hostname() + ":" + options.grpcPort(), epoch, dnsPort, starting);
  }

  /** Publishes a starting leader's record: where agents and schedulers reach it (nothing else answers yet). */
  private void announce(long epoch) {
    try {
      election.announce(leaderInfo(epoch, 0, true).toBytes());
    } catch (Exception e) {
      // The agents then find this leader once it has started, when the full record is published.
      log.warn("could not publish the starting leader's record: {}", e.toString());
    }
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
    if (mirror == null) {
      mirror = ServicesMirror.start(store);
    }
    startStandbyDns();
    Javalin server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.responseBufferSize = HttpServers.RESULT_COPY_BUFFER;
      proxy.install(config);
    });
    startHttp(server, options);
    standby = server;
  }

  /** The standby's copy of the services' state, for a take-over to start from; this master keeps none then. */
  private synchronized ServicesMirror takeMirror() {
    ServicesMirror m = mirror;
    mirror = null;
    return m;
  }

  private synchronized void stopStandby() {
    ServicesMirror m = takeMirror();
    if (m != null) {
      m.close();
    }
    stopStandbyDns();
    if (standby != null) {
      standby.stop();
      standby = null;
    }
  }

  /**
   * A standby's DNS server forwards every query to the leader's (its table claims no name), so that
   * resolvers pointed at any master get the leader's answers. It reads the leader record on every query
   * rather than being restarted on a leader change: a restart can miss a change or race its own port.
   *
   * <p>After this master steps down, its leader's DNS server may hold the port a while longer (a term whose
   * stop the election gave up waiting for still closes), so the port is tried again every 100 ms, on a thread
   * of its own, for as long as this master stays a standby: giving up would leave a standby that never
   * forwards.
   */
  private synchronized void startStandbyDns() {
    if (dns == null || standbyDns != null || standbyDnsStarter != null || bindStandbyDns(false)) {
      return;
    }
    Thread starter = new Thread(this::keepBindingStandbyDns, "standby-dns-start");
    starter.setDaemon(true);
    standbyDnsStarter = starter;
    starter.start();
  }

  private void keepBindingStandbyDns() {
    for (int attempt = 2; ; attempt++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException interrupted) {
        return;
      }
      synchronized (this) {
        if (standbyDnsStarter != Thread.currentThread()) {
          return; // this master leads or stops now
        }
        if (bindStandbyDns(attempt == 20)) {
          standbyDnsStarter = null;
          log.info("standby DNS on port {} started after {} attempts", dns.port(), attempt);
          return;
        }
      }
    }
  }

  /** One attempt to start the standby's DNS server; whether it runs now. */
  private synchronized boolean bindStandbyDns(boolean logFailure) {
    RecordTable none = new RecordTableBuilder(STANDBY_DOMAIN, 0, InetAddress.getLoopbackAddress()).build(0, List.of());
    try {
      standbyDns = new DnsServer(new DnsConfig(dns.bindAddress(), dns.port(), STANDBY_DOMAIN, dns.ttl(),
          List.of()), () -> none, this::leaderDns).start();
      return true;
    } catch (IOException e) {
      if (logFailure) {
        log.warn("standby DNS on port {} not started yet ({}); trying again until it is", dns.port(), e.getMessage());
      }
      return false;
    }
  }

  private synchronized void stopStandbyDns() {
    Thread starter = standbyDnsStarter;
    standbyDnsStarter = null;
    if (starter != null) {
      starter.interrupt();
    }
    if (standbyDns != null) {
      standbyDns.close();
      standbyDns = null;
    }
  }

  /** The leader's DNS server, where a standby forwards; empty while no other master leads. */
  private List<InetSocketAddress> leaderDns() {
    return leader().filter(l -> l.dns() > 0 && !l.http().equals(advertisedHttp()))
        .map(l -> List.of(new InetSocketAddress(host(l.http()), l.dns()))).orElse(List.of());
  }

  private static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  /** The leader's HTTP address from ZooKeeper; empty while none is published or when it is this node. */
  private Optional<String> leaderHttp() {
    Optional<ChildData> node = leaderCache.get(LeaderInfo.PATH);
    if (node.isEmpty() || node.get().getData() == null) {
      return Optional.empty();
    }
    try {
      LeaderInfo info = LeaderInfo.fromBytes(node.get().getData());
      return info.starting() || info.http().equals(advertisedHttp()) ? Optional.empty() : Optional.of(info.http());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The leader a standby watches (another master's record, with the session that wrote it); else empty. */
  private Optional<LeaderWatch.Target> leaderToWatch() {
    Optional<ChildData> node = leaderCache.get(LeaderInfo.PATH);
    if (term != null || node.isEmpty() || node.get().getData() == null || node.get().getStat() == null
        || !store.curator().getZookeeperClient().isConnected()) {
      return Optional.empty();
    }
    try {
      LeaderInfo info = LeaderInfo.fromBytes(node.get().getData());
      return info.http().equals(advertisedHttp()) ? Optional.empty()
          : Optional.of(new LeaderWatch.Target(info, node.get().getStat().getEphemeralOwner()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Why this master can say nothing about the leader: it has lost its ZooKeeper connection (most often the
   * ensemble lost its quorum). Its cached leader record is stale then, and no master can lead through it.
   */
  private Optional<String> zooKeeperOutage() {
    if (store.curator().getZookeeperClient().isConnected()) {
      return Optional.empty();
    }
    return Optional.of("no leading master: this master has lost its ZooKeeper connection (the ensemble needs a"
        + " majority of its members to serve; with embedded peers, a majority of the masters) and will neither"
        + " lead nor forward until it is back; retry shortly");
  }

  /** The current leader as ZooKeeper names it, once it has started (every API of it answers); else empty. */
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
    }).filter(l -> !l.starting());
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

  /** The standby's copy of the services' state as it stands, for rehearsing a take-over. */
  private Optional<Recovery.Recovered> standbyCopy() {
    ServicesMirror m;
    synchronized (this) {
      m = mirror;
    }
    return m == null ? Optional.empty() : m.snapshot(COPY_WAIT);
  }

  /** While standing by: whether the copy of the services' state is loaded; for tests. */
  synchronized boolean standbyCopyLoaded() {
    return mirror != null && mirror.loaded();
  }

  /** While leading: whether the term's service scheduler started from the standby's copy; for tests. */
  boolean tookOverFromCopy() {
    LeaderTerm t = term;
    return t != null && t.servicesFromCopy();
  }

  public int httpPort() {
    LeaderTerm t = term;
    return t != null ? t.httpPort() : options.httpPort();
  }

  public int grpcPort() {
    LeaderTerm t = term;
    return t != null ? t.grpcPort() : options.grpcPort();
  }

  /** The DNS server's port (a standby's forwards to the leader's); -1 without one. */
  public int dnsPort() {
    LeaderTerm t = term;
    if (t != null) {
      return t.dnsPort();
    }
    return dns == null ? -1 : dns.port();
  }

  /** Every HTTP route of the leader's API as "METHOD path", for the route-security test. */
  public List<String> routes() {
    return current().routes();
  }

  /** Whether the API is served over HTTPS. */
  public boolean tls() {
    return tls != null;
  }

  /** The certificate (PEM) that clients should trust: the cluster CA's, or the last of --tls-cert's chain. */
  public String caPem() {
    LeaderTerm t = term;
    return t == null ? null : t.caPem();
  }

  /** The secret agents and frameworks present; null when authentication is off or this node does not lead. */
  public dev.corral.api.ClusterSecret clusterSecret() {
    LeaderTerm t = term;
    return t == null ? null : t.clusterSecret();
  }

  /** The file the secret was written to; null when there is none. */
  public Path secretFile() {
    return clusterSecret() == null ? null : options.workDir().resolve(SECRET_FILE);
  }

  /** Whether the API requires authentication. */
  public boolean authentication() {
    return options.authentication();
  }

  /** The first administrator's password when this start created it (a new cluster); null otherwise. */
  public String adminPassword() {
    LeaderTerm t = term;
    return t == null ? null : t.adminPassword();
  }

  /** A token for {@code uid}, valid for {@code ttl}; empty when authentication is off or this node does not lead. */
  public Optional<String> issueToken(String uid, Duration ttl) {
    LeaderTerm t = term;
    return t == null ? Optional.empty() : t.issueToken(uid, ttl);
  }

  /** Calls {@code listener} with the VIP routes now and on each change; nothing without DNS. */
  public void onVipRoutes(java.util.function.Consumer<List<dev.corral.vip.VipRoute>> listener) {
    current().onVipRoutes(listener);
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

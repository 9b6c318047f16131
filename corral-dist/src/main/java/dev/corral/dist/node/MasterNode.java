package dev.corral.dist.node;

import dev.corral.common.ThreadEventLoop;
import dev.corral.dns.DnsConfig;
import dev.corral.dns.ServiceDiscovery;
import dev.corral.gateway.AgentDirectory;
import dev.corral.api.ClusterSecret;
import dev.corral.gateway.Gateway;
import dev.corral.gateway.NodeOperations;
import dev.corral.gateway.auth.Security;
import dev.corral.master.Master;
import dev.corral.master.MasterConfig;
import dev.corral.packages.PackageManager;
import dev.corral.jobs.JobScheduler;
import dev.corral.jobs.JobsConfig;
import dev.corral.jobs.MetronomeApi;
import dev.corral.scheduler.GrpcSchedulerDriver;
import dev.corral.services.MarathonApi;
import dev.corral.services.ServiceScheduler;
import dev.corral.services.ServicesConfig;
import dev.corral.services.placement.GpuSchedulingBehavior;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.ZkStore;
import dev.corral.ui.WebUi;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import dev.corral.gateway.tls.ClusterCa;
import dev.corral.gateway.tls.Pem;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.security.KeyStore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master node: ZooKeeper store (embedded or external), the master behind its gRPC services (network and
 * in-process), the built-in service scheduler on the in-process transport, and the HTTP API.
 * Started and stopped as one; {@link #close} stops in reverse order of start.
 */
public final class MasterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterNode.class);

  /** How to run the node. {@code zk} null means an embedded ZooKeeper with data under the work dir. */
  public record Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
      GpuSchedulingBehavior gpuScheduling, boolean authentication) {
    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, GpuSchedulingBehavior.RESTRICTED, false);
    }

    public Options(Path workDir, String zk, String bindAddress, int httpPort, int grpcPort, String hostname,
        GpuSchedulingBehavior gpuScheduling) {
      this(workDir, zk, bindAddress, httpPort, grpcPort, hostname, gpuScheduling, false);
    }
  }

  /**
   * HTTPS on the gateway: certificate chain and key files (PEM), or both null for a certificate issued by the
   * cluster CA.
   */
  public record Tls(Path certFile, Path keyFile) {}

  private final Options options;
  private Tls tls;
  private String caPem;
  private ServerConnector internalConnector;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final String inProcessName = "corral-master-" + UUID.randomUUID();
  private EmbeddedZooKeeper embeddedZk;
  private ZkStore store;
  private Server grpcServer;
  private Javalin http;
  private ServiceScheduler services;
  private DnsConfig dns;
  private ServiceDiscovery discovery;
  private java.util.function.UnaryOperator<MasterConfig> masterConfig = c -> c;
  private Security security;
  private ClusterSecret clusterSecret;
  private String adminPassword;

  public MasterNode(Options options) {
    this.options = options;
  }

  /** Runs the DNS server and the discovery endpoint (with the VIP table agents follow) too (docs/dns.md); before {@link #start}. */
  public MasterNode withDns(DnsConfig config) {
    this.dns = config;
    return this;
  }

  /** Adjusts the master's settings (e.g. the agent timeout) from the defaults; before {@link #start}. */
  public MasterNode withMasterConfig(java.util.function.UnaryOperator<MasterConfig> adjust) {
    this.masterConfig = adjust;
    return this;
  }

  /** Serves the HTTP API over TLS; before {@link #start}. */
  public MasterNode withTls(Tls settings) {
    this.tls = settings;
    return this;
  }

  public MasterNode start() throws IOException {
    String zkConnect = options.zk();
    if (zkConnect == null) {
      embeddedZk = EmbeddedZooKeeper.start(options.workDir().resolve("zookeeper"), 0);
      started.add(embeddedZk);
      zkConnect = embeddedZk.connectString();
    }
    store = ZkStore.connect(zkConnect, "corral", Duration.ofSeconds(30));
    started.add(store);

    ThreadEventLoop masterLoop = new ThreadEventLoop("master", Clock.systemUTC());
    started.add(masterLoop::shutdown);
    Master master = new Master(masterConfig.apply(MasterConfig.defaults()), store, masterLoop);
    master.start();
    started.add(master);

    if (options.authentication()) {
      clusterSecret = loadOrCreateSecret(store);
      clusterSecret.writeFile(options.workDir().resolve(SECRET_FILE));
    }
    NettyServerBuilder network = NettyServerBuilder.forAddress(new InetSocketAddress(options.bindAddress(), options.grpcPort()));
    if (clusterSecret != null) {
      // agents and frameworks over the network present the cluster secret; in-process callers are this JVM
      network.intercept(clusterSecret.serverInterceptor());
    }
    InProcessServerBuilder local = InProcessServerBuilder.forName(inProcessName);
    for (BindableService service : master.services()) {
      network.addService(service);
      local.addService(service);
    }
    try {
      grpcServer = network.build().start();
    } catch (IOException e) {
      throw portInUse(e, "gRPC", options.grpcPort(), "--grpc-port");
    }
    started.add(() -> grpcServer.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS));
    Server localServer = local.build().start();
    started.add(() -> localServer.shutdownNow());

    String advertised = options.hostname() + ":" + options.httpPort();
    ThreadEventLoop servicesLoop = new ThreadEventLoop("services", Clock.systemUTC());
    started.add(servicesLoop::shutdown);
    ManagedChannel schedulerChannel = inProcessChannel();
    started.add(schedulerChannel::shutdownNow);
    services = new ServiceScheduler(
        ServicesConfig.defaults(options.hostname(), advertised).withGpuSchedulingBehavior(options.gpuScheduling()),
        store, servicesLoop,
        (info, scheduler) -> new GrpcSchedulerDriver(schedulerChannel, info, scheduler));
    services.start();
    started.add(services);
    if (dns != null) {
      try {
        discovery = ServiceDiscovery.start(dns, services::view, services.events(), options.hostname());
      } catch (IOException e) {
        throw portInUse(e, "DNS", dns.port(), "--dns-port");
      }
      started.add(discovery);
    }

    // The job scheduler is a framework of its own ("metronome"), with its own loop and driver.
    ThreadEventLoop jobsLoop = new ThreadEventLoop("jobs", Clock.systemUTC());
    started.add(jobsLoop::shutdown);
    ManagedChannel jobsChannel = inProcessChannel();
    started.add(jobsChannel::shutdownNow);
    JobScheduler jobs = new JobScheduler(JobsConfig.defaults(options.hostname()), store, jobsLoop,
        (info, scheduler) -> new GrpcSchedulerDriver(jobsChannel, info, scheduler));
    jobs.start();
    started.add(jobs);
    MetronomeApi jobsApi = new MetronomeApi(jobs);

    security = options.authentication() ? Security.enabled(store, Clock.systemUTC()) : Security.disabled();
    started.add(security);
    adminPassword = security.bootstrapAdmin(ADMIN).orElse(null);
    MarathonApi api = new MarathonApi(services);
    PackageManager packages = PackageManager.overHttp(store, this::selfUri,
        security.internalAuthorization().orElse(null), PackageManager.bundledCatalog(System.getProperty("corral.home")));
    Gateway gateway = new Gateway(master::taskEndpoint, services::serviceTargets, AgentDirectory.of(master),
        security.accessCheck()).withNodeOperations(NodeOperations.of(master));
    if (clusterSecret != null) {
      gateway.withAgentSecret(ClusterSecret.HTTP_HEADER, clusterSecret.value());
    }
    started.add(gateway);
    KeyStore tlsKeys = tls == null ? null : tlsKeyStore();
    http = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      if (tlsKeys != null) {
        config.jetty.addConnector((server, httpConfig) -> httpsConnector(server, httpConfig, tlsKeys));
        // the master's own calls to its API (package installs) stay on loopback, plain, authenticated
        config.jetty.addConnector((server, httpConfig) -> {
          internalConnector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
          internalConnector.setHost("127.0.0.1");
          internalConnector.setPort(0);
          return internalConnector;
        });
      }
      security.install(config);
      api.install(config);
      jobsApi.install(config);
      packages.install(config);
      gateway.install(config);
      new WebUi().install(config);
      if (discovery != null) {
        discovery.install(config);
      }
    });
    try {
      http.start(options.bindAddress(), options.httpPort());
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IOException io) {
        throw portInUse(io, "HTTP", options.httpPort(), "--http-port");
      }
      throw e;
    }
    started.add(http::stop);
    return this;
  }

  /** A channel to this master over the in-process transport, for agents and schedulers in this JVM. */
  public ManagedChannel inProcessChannel() {
    return InProcessChannelBuilder.forName(inProcessName).build();
  }

  private KeyStore tlsKeyStore() throws IOException {
    if (tls.certFile() != null) {
      String chain = Files.readString(tls.certFile());
      KeyStore keys = Pem.keyStore(chain, Files.readString(tls.keyFile()));
      // the CLI context trusts the chain's last certificate: its CA, or the certificate itself when self-signed
      java.util.List<java.security.cert.X509Certificate> certs = Pem.certificates(chain);
      caPem = Pem.write(certs.get(certs.size() - 1));
      return keys;
    }
    ClusterCa ca = ClusterCa.loadOrCreate(store, Clock.systemUTC());
    caPem = ca.certPem();
    Files.writeString(options.workDir().resolve("ca.crt"), caPem);
    java.util.Set<String> names = new java.util.LinkedHashSet<>(List.of(options.hostname(), "localhost", "127.0.0.1",
        "::1"));
    if (!"0.0.0.0".equals(options.bindAddress()) && !"::".equals(options.bindAddress())) {
      names.add(options.bindAddress());
    }
    ClusterCa.Issued issued = ca.issueServer(names);
    return Pem.keyStore(issued.certChainPem(), issued.keyPem());
  }

  private ServerConnector httpsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
      KeyStore keys) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keys);
    ssl.setKeyStorePassword(new String(Pem.STORE_PASSWORD));
    HttpConfiguration https = new HttpConfiguration(httpConfig);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients reach a master by IP address as often as by name
    https.addCustomizer(secure);
    ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    c.setHost(options.bindAddress());
    c.setPort(options.httpPort());
    return c;
  }

  /** Every HTTP route of the API as "METHOD path" (e.g. "GET /v2/apps/<path>"), for the route-security test. */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (io.javalin.router.ParsedEndpoint e : http.unsafe.internalRouter.allHttpHandlers()) {
      String method = e.endpoint.method.name();
      if (List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
        out.add(method + " " + e.endpoint.path);
      }
    }
    return out;
  }

  /** Whether the API is served over HTTPS. */
  public boolean tls() {
    return tls != null;
  }

  /** The certificate (PEM) that clients should trust: the cluster CA's, or the last of --tls-cert's chain. */
  public String caPem() {
    return caPem;
  }

  /** This node's own HTTP API, for components that go through it (the package manager installs via Marathon's). */
  private URI selfUri() {
    if (internalConnector != null) {
      return URI.create("http://127.0.0.1:" + internalConnector.getLocalPort());
    }
    String host = "0.0.0.0".equals(options.bindAddress()) || "::".equals(options.bindAddress()) ? "127.0.0.1"
        : options.bindAddress();
    return URI.create("http://" + host + ":" + http.port());
  }

  /** Where the master keeps the cluster secret for agents started beside it ({@code --secret-file}). */
  public static final String SECRET_FILE = "cluster-secret";
  private static final String SECRET_PATH = "/auth/cluster-secret";

  private static ClusterSecret loadOrCreateSecret(ZkStore store) {
    java.util.Optional<byte[]> stored = store.get(SECRET_PATH);
    if (stored.isPresent()) {
      return ClusterSecret.of(new String(stored.get(), java.nio.charset.StandardCharsets.UTF_8));
    }
    ClusterSecret created = ClusterSecret.generate();
    store.commitAndWait(List.of(dev.corral.state.StoreOp.put(SECRET_PATH,
        created.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    return created;
  }

  /** The secret agents and frameworks present (null when authentication is off). */
  public ClusterSecret clusterSecret() {
    return clusterSecret;
  }

  /** The file the secret was written to; null when authentication is off. */
  public Path secretFile() {
    return clusterSecret == null ? null : options.workDir().resolve(SECRET_FILE);
  }

  /** The account {@link Security#bootstrapAdmin} creates on a new cluster. */
  public static final String ADMIN = "admin";

  public boolean authentication() {
    return security.enabled();
  }

  /** The first administrator's password when this start created it (a new cluster); null otherwise. */
  public String adminPassword() {
    return adminPassword;
  }

  /** A token for {@code uid}, valid for {@code ttl}; empty when authentication is off. */
  public java.util.Optional<String> issueToken(String uid, Duration ttl) {
    return security.issueToken(uid, ttl);
  }

  public int httpPort() {
    return http.port();
  }

  public int grpcPort() {
    return grpcServer.getPort();
  }

  /** Calls {@code listener} with the VIP routes now and on each change; nothing without DNS. */
  public void onVipRoutes(java.util.function.Consumer<java.util.List<dev.corral.vip.VipRoute>> listener) {
    if (discovery != null) {
      discovery.onRoutes(listener);
    }
  }

  /** The DNS server's port; -1 without one. */
  public int dnsPort() {
    return discovery == null ? -1 : discovery.dnsPort();
  }

  public String zkConnectString() {
    return embeddedZk != null ? embeddedZk.connectString() : options.zk();
  }

  public boolean embeddedZooKeeper() {
    return embeddedZk != null;
  }

  /** Stops the service scheduler first, so that it does not react to tasks killed during shutdown. */
  public void stopServices() {
    if (services != null) {
      services.close();
      started.remove(services);
      services = null;
    }
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
    started.clear();
  }

  private static IOException portInUse(IOException e, String what, int port, String flag) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof BindException) {
      return new IOException(what + " port " + port + " is already in use; stop what uses it or pass " + flag, e);
    }
    return e;
  }
}

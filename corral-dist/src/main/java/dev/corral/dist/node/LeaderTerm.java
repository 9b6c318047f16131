package dev.corral.dist.node;

import dev.corral.common.ThreadEventLoop;
import dev.corral.dns.DnsConfig;
import dev.corral.dns.ServiceDiscovery;
import dev.corral.api.ClusterSecret;
import dev.corral.gateway.AgentDirectory;
import dev.corral.gateway.Gateway;
import dev.corral.gateway.NodeOperations;
import dev.corral.gateway.auth.Security;
import dev.corral.gateway.tls.ClusterCa;
import dev.corral.gateway.tls.Pem;
import dev.corral.jobs.JobScheduler;
import dev.corral.jobs.JobsConfig;
import dev.corral.jobs.MetronomeApi;
import dev.corral.master.Master;
import dev.corral.master.MasterConfig;
import dev.corral.packages.PackageManager;
import dev.corral.scheduler.GrpcSchedulerDriver;
import dev.corral.services.MarathonApi;
import dev.corral.services.ServiceScheduler;
import dev.corral.services.ServicesConfig;
import dev.corral.services.engine.Recovery;
import dev.corral.services.placement.TaskApi;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.vip.VipRoute;
import dev.corral.ui.WebUi;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import dev.corral.common.HttpServers;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a master does while it leads: the master proper (agents, offers, status routing) behind its
 * gRPC services (network and in-process), the built-in schedulers (services, jobs, packages), DNS, the
 * gateway and the full HTTP API. Built from the store when leadership is won, so that each term starts from
 * hard state alone and rebuilds soft state from agents' re-registration; closed, in reverse order, when it
 * is lost. A single master without an election runs one term for its whole life.
 */
final class LeaderTerm implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderTerm.class);
  private static final String SECRET_PATH = "/auth/cluster-secret";

  /**
   * What the node adds to the defaults: the master's settings, HTTPS (null: plain HTTP), and the service
   * scheduler's stored state as a standby already holds it (empty: read it from the store).
   */
  record Settings(UnaryOperator<MasterConfig> masterConfig, MasterNode.Tls tls,
      Supplier<Optional<Recovery.Recovered>> servicesState) {}

  private final MasterNode.Options options;
  private final Store store;
  private final DnsConfig dnsConfig;
  private final Settings settings;
  private String caPem;
  private ServerConnector internalConnector;
  private Security security;
  private ClusterSecret clusterSecret;
  private String adminPassword;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final String inProcessName = "corral-master-" + UUID.randomUUID();
  private Server grpcServer;
  private Javalin http;
  private ServiceScheduler services;
  private ServiceDiscovery discovery;

  private LeaderTerm(MasterNode.Options options, Store store, DnsConfig dnsConfig, Settings settings) {
    this.options = options;
    this.store = store;
    this.dnsConfig = dnsConfig;
    this.settings = settings;
  }

  /**
   * Starts every part; on failure stops what had started and rethrows.
   *
   * @param agentsMayReturn called once the master's gRPC API answers and the service scheduler has read its
   *     state, while the rest of the term still starts
   */
  static LeaderTerm start(MasterNode.Options options, Store store, DnsConfig dns, Settings settings,
      Runnable agentsMayReturn) throws IOException {
    LeaderTerm term = new LeaderTerm(options, store, dns, settings);
    try {
      term.startAll(agentsMayReturn);
      return term;
    } catch (IOException | RuntimeException e) {
      term.close();
      throw e;
    }
  }

  private void startAll(Runnable agentsMayReturn) throws IOException {
    ThreadEventLoop masterLoop = new ThreadEventLoop("master", Clock.systemUTC());
    started.add(masterLoop::shutdown);
    Master master = new Master(settings.masterConfig().apply(MasterConfig.defaults()), store, masterLoop);
    master.start();
    started.add(master);

    if (options.authentication()) {
      clusterSecret = loadOrCreateSecret(store);
      clusterSecret.writeFile(options.workDir().resolve(MasterNode.SECRET_FILE));
    }
    NettyServerBuilder network = NettyServerBuilder.forAddress(new InetSocketAddress(options.bindAddress(), options.grpcPort()))
        .permitKeepAliveTime(5, TimeUnit.SECONDS); // agents following a leader ping every 10 s
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
    started.add(() -> grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    Server localServer = local.build().start();
    started.add(localServer::shutdownNow);

    String advertised = options.hostname() + ":" + options.httpPort();
    ThreadEventLoop servicesLoop = new ThreadEventLoop("services", Clock.systemUTC());
    started.add(servicesLoop::shutdown);
    ManagedChannel schedulerChannel = inProcessChannel();
    started.add(schedulerChannel::shutdownNow);
    // Before the scheduler: with TLS, tasks reach the API over https and are handed the CA that vouches for it.
    KeyStore tlsKeys = settings.tls() == null ? null : tlsKeyStore(settings.tls());
    ServicesConfig servicesConfig = ServicesConfig.defaults(options.hostname(), advertised)
        .withGpuSchedulingBehavior(options.gpuScheduling());
    if (tlsKeys != null) {
      servicesConfig = servicesConfig.withTaskApi(TaskApi.https(advertised, caPem));
    }
    services = new ServiceScheduler(servicesConfig, store, servicesLoop,
        (info, scheduler) -> new GrpcSchedulerDriver(schedulerChannel, info, scheduler));
    services.start(settings.servicesState());
    started.add(services);
    // The agents may come back now. Not before: thousands of re-registrations would take the CPU from the
    // scheduler's store read (four times slower in the failover benchmark) and queue ahead of its
    // subscription, and so delay the first new placement by seconds.
    agentsMayReturn.run();
    if (dnsConfig != null) {
      try {
        discovery = ServiceDiscovery.start(dnsConfig, services::view, services.events(), options.hostname());
      } catch (IOException e) {
        throw portInUse(e, "DNS", dnsConfig.port(), "--dns-port");
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
    adminPassword = security.bootstrapAdmin(MasterNode.ADMIN).orElse(null);
    if (adminPassword != null) {
      // The account is created by whichever master leads first, maybe long after its start printed what
      // it knew then: keep the password where its operator finds it, or no one could ever log in.
      Path kept = options.workDir().resolve(MasterNode.ADMIN_PASSWORD_FILE);
      writePrivate(kept, adminPassword);
      log.warn("created the cluster's first administrator '{}'; its password is in {} (readable by this user only)",
          MasterNode.ADMIN, kept.toAbsolutePath());
    }
    MarathonApi api = new MarathonApi(services, security.eventAccess());
    PackageManager packages = PackageManager.overHttp(store, this::selfUri,
        security.internalAuthorization().orElse(null), PackageManager.bundledCatalog(System.getProperty("corral.home")));
    Gateway gateway = new Gateway(master::taskEndpoint, services::serviceTargets, AgentDirectory.of(master),
        security.accessCheck()).withNodeOperations(NodeOperations.of(master))
        .withSecrets(new dev.corral.state.SecretStore(store))
        .withTaskOwner(task -> services.runSpecOfTask(task.frameworkId(), task.taskId()));
    if (clusterSecret != null) {
      gateway.withAgentSecret(ClusterSecret.HTTP_HEADER, clusterSecret.value());
    }
    started.add(gateway);
    http = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.responseBufferSize = HttpServers.RESULT_COPY_BUFFER;
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
    MasterNode.startHttp(http, options);
    started.add(http::stop);
  }

  /** A channel to this term's master over the in-process transport. */
  ManagedChannel inProcessChannel() {
    return InProcessChannelBuilder.forName(inProcessName).build();
  }

  private KeyStore tlsKeyStore(MasterNode.Tls tls) throws IOException {
    if (tls.certFile() != null) {
      String chain = Files.readString(tls.certFile());
      KeyStore keys = Pem.keyStore(chain, Files.readString(tls.keyFile()));
      // the CLI context trusts the chain's last certificate: its CA, or the certificate itself when self-signed
      List<X509Certificate> certs = Pem.certificates(chain);
      caPem = Pem.write(certs.get(certs.size() - 1));
      return keys;
    }
    ClusterCa ca = ClusterCa.loadOrCreate(store, Clock.systemUTC());
    caPem = ca.certPem();
    Files.writeString(options.workDir().resolve("ca.crt"), caPem);
    Set<String> names = new LinkedHashSet<>(List.of(options.hostname(), "localhost", "127.0.0.1", "::1"));
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

  private static ClusterSecret loadOrCreateSecret(Store store) {
    Optional<byte[]> stored = store.get(SECRET_PATH);
    if (stored.isPresent()) {
      return ClusterSecret.of(new String(stored.get(), StandardCharsets.UTF_8));
    }
    ClusterSecret created = ClusterSecret.generate();
    store.commitAndWait(List.of(StoreOp.put(SECRET_PATH, created.value().getBytes(StandardCharsets.UTF_8))));
    return created;
  }

  /** Every HTTP route of the API as "METHOD path" (e.g. "GET /v2/apps/<path>"), for the route-security test. */
  List<String> routes() {
    List<String> out = new ArrayList<>();
    for (io.javalin.router.ParsedEndpoint e : http.unsafe.internalRouter.allHttpHandlers()) {
      String method = e.endpoint.method.name();
      if (List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
        out.add(method + " " + e.endpoint.path);
      }
    }
    return out;
  }

  String caPem() {
    return caPem;
  }

  ClusterSecret clusterSecret() {
    return clusterSecret;
  }

  boolean authentication() {
    return security.enabled();
  }

  String adminPassword() {
    return adminPassword;
  }

  /** Writes {@code value} to {@code file}, readable by this user only, replacing it atomically. */
  private static void writePrivate(Path file, String value) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not POSIX: the work dir's protection applies
    }
    Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  Optional<String> issueToken(String uid, Duration ttl) {
    return security.issueToken(uid, ttl);
  }

  void onVipRoutes(Consumer<List<VipRoute>> listener) {
    if (discovery != null) {
      discovery.onRoutes(listener);
    }
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

  int httpPort() {
    return http.port();
  }

  int grpcPort() {
    return grpcServer.getPort();
  }

  int dnsPort() {
    return discovery == null ? -1 : discovery.dnsPort();
  }

  /** Whether the service scheduler started from the standby's copy of its state rather than a read. */
  boolean servicesFromCopy() {
    return services != null && services.recoveredFromCopy();
  }

  /** Stops the service scheduler first, so that it does not react to tasks killed during shutdown. */
  void stopServices() {
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

  static IOException portInUse(IOException e, String what, int port, String flag) {
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

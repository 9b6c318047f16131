package dev.corral.dist.node;

import dev.corral.common.ThreadEventLoop;
import dev.corral.dns.DnsConfig;
import dev.corral.dns.ServiceDiscovery;
import dev.corral.gateway.AccessCheck;
import dev.corral.gateway.AgentDirectory;
import dev.corral.gateway.Gateway;
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
import dev.corral.state.Store;
import dev.corral.ui.WebUi;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.javalin.Javalin;
import java.io.IOException;
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

  private final MasterNode.Options options;
  private final Store store;
  private final DnsConfig dnsConfig;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final String inProcessName = "corral-master-" + UUID.randomUUID();
  private Server grpcServer;
  private Javalin http;
  private ServiceScheduler services;
  private ServiceDiscovery discovery;

  private LeaderTerm(MasterNode.Options options, Store store, DnsConfig dnsConfig) {
    this.options = options;
    this.store = store;
    this.dnsConfig = dnsConfig;
  }

  /** Starts every part; on failure stops what had started and rethrows. */
  static LeaderTerm start(MasterNode.Options options, Store store, DnsConfig dns) throws IOException {
    LeaderTerm term = new LeaderTerm(options, store, dns);
    try {
      term.startAll();
      return term;
    } catch (IOException | RuntimeException e) {
      term.close();
      throw e;
    }
  }

  private void startAll() throws IOException {
    ThreadEventLoop masterLoop = new ThreadEventLoop("master", Clock.systemUTC());
    started.add(masterLoop::shutdown);
    Master master = new Master(MasterConfig.defaults(), store, masterLoop);
    master.start();
    started.add(master);

    NettyServerBuilder network = NettyServerBuilder.forAddress(new InetSocketAddress(options.bindAddress(), options.grpcPort()))
        .permitKeepAliveTime(5, TimeUnit.SECONDS); // agents following a leader ping every 10 s
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
    services = new ServiceScheduler(
        ServicesConfig.defaults(options.hostname(), advertised).withGpuSchedulingBehavior(options.gpuScheduling()),
        store, servicesLoop,
        (info, scheduler) -> new GrpcSchedulerDriver(schedulerChannel, info, scheduler));
    services.start();
    started.add(services);
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

    MarathonApi api = new MarathonApi(services);
    PackageManager packages = PackageManager.overHttp(store, this::selfUri,
        PackageManager.bundledCatalog(System.getProperty("corral.home")));
    Gateway gateway = new Gateway(master::taskEndpoint, services::serviceTargets, AgentDirectory.of(master),
        AccessCheck.ALLOW_ALL);
    started.add(gateway);
    http = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
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

  /** This node's own HTTP API, for components that go through it (the package manager installs via Marathon's). */
  private URI selfUri() {
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

package dev.corral.dist.bench;

import dev.corral.common.ThreadEventLoop;
import dev.corral.master.Master;
import dev.corral.master.MasterConfig;
import dev.corral.scheduler.GrpcSchedulerDriver;
import dev.corral.services.MarathonApi;
import dev.corral.services.ServiceScheduler;
import dev.corral.services.ServicesConfig;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import dev.corral.state.ZkStore;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The master side of `corral up` for a benchmark, wired as {@code MasterNode} wires it (store, master on its
 * event loop behind gRPC, the service scheduler on the in-process transport, the Marathon API on a
 * loopback port), but with the store chosen by the caller and the layers stopped one at a time, so that the
 * heap each one held can be measured as it goes.
 */
final class ServicesCluster implements AutoCloseable {
  /** Where the hard state lives. */
  enum StoreKind { ZK, MEMORY }

  /** How the simulated agents reach the master. */
  enum Transport { INPROCESS, TCP }

  private final String inProcessName = "corral-bench-" + UUID.randomUUID();
  private EmbeddedZooKeeper zk;
  private Store store;
  private ThreadEventLoop masterLoop;
  private Master master;
  private Server inProcessServer;
  private Server tcpServer;
  private ThreadEventLoop servicesLoop;
  private ManagedChannel schedulerChannel;
  private ServiceScheduler services;
  private Javalin http;
  private ManagedChannel agentChannel;

  /** Starts everything; {@code dir} holds ZooKeeper's data when the store is ZooKeeper. */
  static ServicesCluster start(StoreKind storeKind, Transport transport, Path dir) throws IOException {
    ServicesCluster c = new ServicesCluster();
    try {
      c.startAll(storeKind, transport, dir);
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void startAll(StoreKind storeKind, Transport transport, Path dir) throws IOException {
    if (storeKind == StoreKind.ZK) {
      zk = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), 0);
      store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(30));
    } else {
      store = new MemoryStore();
    }
    masterLoop = new ThreadEventLoop("master", Clock.systemUTC());
    master = new Master(MasterConfig.defaults(), store, masterLoop);
    master.start();
    InProcessServerBuilder local = InProcessServerBuilder.forName(inProcessName);
    NettyServerBuilder network = transport == Transport.TCP
        ? NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)) : null;
    for (BindableService service : master.services()) {
      local.addService(service);
      if (network != null) {
        network.addService(service);
      }
    }
    inProcessServer = local.build().start();
    if (network != null) {
      tcpServer = network.build().start();
      agentChannel = NettyChannelBuilder.forAddress("127.0.0.1", tcpServer.getPort()).usePlaintext().build();
    } else {
      agentChannel = InProcessChannelBuilder.forName(inProcessName).build();
    }

    servicesLoop = new ThreadEventLoop("services", Clock.systemUTC());
    schedulerChannel = InProcessChannelBuilder.forName(inProcessName).build();
    ManagedChannel driverChannel = schedulerChannel;
    services = new ServiceScheduler(ServicesConfig.defaults("127.0.0.1", "127.0.0.1:0"), store, servicesLoop,
        (info, scheduler) -> new GrpcSchedulerDriver(driverChannel, info, scheduler));
    services.start();
    MarathonApi api = new MarathonApi(services);
    http = Javalin.create(config -> {
      config.http.responseBufferSize = dev.corral.common.HttpServers.RESULT_COPY_BUFFER;
      config.startup.showJavalinBanner = false;
      api.install(config);
    });
    http.start("127.0.0.1", 0);
  }

  /** The channel simulated agents use: in-process, or TCP to the master's loopback port. */
  ManagedChannel agentChannel() {
    return agentChannel;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + http.port();
  }

  /** Stops the HTTP API and the service scheduler and drops every reference to them. */
  void stopServices() {
    if (http != null) {
      http.stop();
      http = null;
    }
    if (services != null) {
      services.close();
      services = null;
    }
    if (schedulerChannel != null) {
      shutdown(schedulerChannel);
      schedulerChannel = null;
    }
    if (servicesLoop != null) {
      servicesLoop.shutdown();
      servicesLoop = null;
    }
  }

  /** Stops the master and its gRPC servers; the store stays. */
  void stopMaster() {
    if (agentChannel != null) {
      shutdown(agentChannel);
      agentChannel = null;
    }
    if (master != null) {
      master.close();
      master = null;
    }
    if (tcpServer != null) {
      tcpServer.shutdownNow();
      tcpServer = null;
    }
    if (inProcessServer != null) {
      inProcessServer.shutdownNow();
      inProcessServer = null;
    }
    if (masterLoop != null) {
      masterLoop.shutdown();
      masterLoop = null;
    }
  }

  void stopStore() {
    if (store != null) {
      store.close();
      store = null;
    }
    if (zk != null) {
      zk.close();
      zk = null;
    }
  }

  @Override
  public void close() {
    stopServices();
    stopMaster();
    stopStore();
  }

  private static void shutdown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.corral.master;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.common.ThreadEventLoop;
import dev.corral.scheduler.GrpcSchedulerDriver;
import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real master (ThreadEventLoop, real clock) behind an in-process gRPC server, with simulated agents and
 * scheduler drivers on one channel. {@link #restartMaster} replaces the master and the server under the
 * same name and store, as a failover to a new leader would.
 */
final class GrpcCluster implements AutoCloseable {
  static final MasterConfig CONFIG = MasterConfig.defaults().withMasterId("grpc-master")
      .withAgentHeartbeatTimeout(Duration.ofSeconds(3));

  final String name = "master-" + UUID.randomUUID();
  final Store store;
  final ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final MasterConfig config;
  private ThreadEventLoop loop;
  private Server server;
  Master master;

  GrpcCluster() {
    this(new MemoryStore());
  }

  GrpcCluster(Store store) {
    this(store, CONFIG);
  }

  GrpcCluster(Store store, MasterConfig config) {
    this.store = store;
    this.config = config;
    master = startMaster();
    server = startServer(master.services());
  }

  private Master startMaster() {
    loop = new ThreadEventLoop("master-loop", Clock.systemUTC());
    Master m = new Master(config, store, loop);
    m.start();
    return m;
  }

  private Server startServer(List<BindableService> services) {
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    services.forEach(builder::addService);
    try {
      return builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SimulatedAgent agent(String hostname, String resources) {
    SimulatedAgent agent = new SimulatedAgent(channel, hostname, resources);
    clients.add(agent);
    return agent;
  }

  GrpcSchedulerDriver driver(String name, RecordingScheduler scheduler) {
    GrpcSchedulerDriver driver = new GrpcSchedulerDriver(channel,
        FrameworkInfo.newBuilder().setName(name).setRole("*").build(), scheduler);
    clients.add(driver);
    driver.start();
    return driver;
  }

  /** A new master on the same store takes over; the old one's streams end and clients reconnect. */
  void restartMaster() throws InterruptedException {
    Master old = master;
    ThreadEventLoop oldLoop = loop;
    master = startMaster();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server = startServer(master.services());
    old.close();
    oldLoop.shutdown();
  }

  MasterSnapshot snapshot() {
    return master.snapshot().join();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    master.close();
    loop.shutdown();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}

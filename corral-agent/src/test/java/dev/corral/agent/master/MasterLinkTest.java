package dev.corral.agent.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentRegistered;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.common.ThreadEventLoop;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The link against a real gRPC server over TCP, behind a gate that can keep the channel connecting. */
class MasterLinkTest {
  private final AtomicInteger streams = new AtomicInteger();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private ThreadEventLoop loop;

  @AfterEach
  void stop() throws Exception {
    if (loop != null) {
      loop.shutdown();
    }
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  @Test
  void backoffAttemptsWaitWhileTheChannelConnectsAndTheReadyChannelBringsTheLinkBack() throws Exception {
    Server master = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new RegisteringMaster()).build().start();
    cleanup.add(() -> master.shutdownNow());
    ConnectionGate gate = new ConnectionGate(master.getPort());
    cleanup.add(gate);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gate.port()).usePlaintext().build();
    cleanup.add(() -> channel.shutdownNow());
    loop = new ThreadEventLoop("link-test", Clock.systemUTC());
    MasterLink link = new MasterLink(loop, channel, new QuietHandler(), Duration.ofSeconds(5), Backoff.standard(),
        Duration.ofMillis(300));
    loop.execute(link::connect);
    await().atMost(Duration.ofSeconds(10)).until(() -> state(link) == LinkState.REGISTERED);

    // The master goes away and the channel's next connection is accepted but never answered, as a master
    // that is still starting: the channel stays connecting.
    gate.holdNewConnections();
    gate.cutAll();
    await().atMost(Duration.ofSeconds(5)).until(() -> channel.getState(false) == ConnectivityState.CONNECTING);

    // Backoff attempts fall at 0.1, 0.3, 0.7 and 1.5 s: none opens a stream gRPC would hold until ready.
    await().during(Duration.ofMillis(1_800)).atMost(Duration.ofSeconds(3))
        .until(() -> state(link) == LinkState.DISCONNECTED);
    assertThat(streams).hasValue(1);

    gate.release();
    await().atMost(Duration.ofSeconds(5)).until(() -> state(link) == LinkState.REGISTERED);
    assertThat(streams).hasValue(2);
  }

  private LinkState state(MasterLink link) throws Exception {
    return loop.call(link::state).get();
  }

  /** Registers every agent that opens a stream. */
  private final class RegisteringMaster extends AgentChannelGrpc.AgentChannelImplBase {
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<MasterMessage> responses) {
      streams.incrementAndGet();
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage message) {
          if (message.hasRegister()) {
            responses.onNext(MasterMessage.newBuilder()
                .setRegistered(AgentRegistered.newBuilder().setAgentId("agent-1").setHeartbeatIntervalSeconds(5))
                .build());
          }
        }

        @Override
        public void onError(Throwable t) { }

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }

  private static final class QuietHandler implements MasterLink.Handler {
    @Override
    public RegisterAgent registration() {
      return RegisterAgent.getDefaultInstance();
    }

    @Override
    public void onRegistered(AgentRegistered registered) { }

    @Override
    public void onMessage(MasterMessage message) { }
  }
}

package dev.corral.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.CallAck;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.SchedulerChannelGrpc;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order in which the driver's calls reach the master. */
class GrpcSchedulerDriverTest {
  /** A master that records calls and answers an ACCEPT only when told to. */
  static final class HoldingMaster extends SchedulerChannelGrpc.SchedulerChannelImplBase {
    final List<String> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<StreamObserver<CallAck>> heldAccept = new CompletableFuture<>();

    @Override
    public void accept(AcceptCall call, StreamObserver<CallAck> out) {
      received.add("accept");
      heldAccept.complete(out);
    }

    @Override
    public void decline(DeclineCall call, StreamObserver<CallAck> out) {
      received.add("decline");
      answer(out);
    }

    @Override
    public void acknowledge(AcknowledgeCall call, StreamObserver<CallAck> out) {
      received.add("acknowledge " + call.getUuid());
      answer(out);
    }

    static void answer(StreamObserver<CallAck> out) {
      out.onNext(CallAck.getDefaultInstance());
      out.onCompleted();
    }
  }

  private final HoldingMaster master = new HoldingMaster();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void anAcknowledgementDoesNotWaitForEarlierCallsWhileOfferCallsKeepTheirOrder() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(master).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    GrpcSchedulerDriver driver = new GrpcSchedulerDriver(channel, FrameworkInfo.newBuilder().setName("t").build(),
        new Scheduler() {
          @Override
          public void subscribed(String frameworkId) {}

          @Override
          public void offers(List<Offer> offers) {}

          @Override
          public void rescinded(String offerId) {}

          @Override
          public void update(TaskStatus status) {}

          @Override
          public void failure(String agentId, String message) {}

          @Override
          public void disconnected(String reason) {}
        });

    CompletableFuture<Void> launch = driver.launch(List.of("o1"), List.of(), 5);
    StreamObserver<CallAck> held = master.heldAccept.get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> decline = driver.decline(List.of("o2"), 5);
    CompletableFuture<Void> ack = driver.acknowledge(TaskStatus.newBuilder().setTaskId("t1").setAgentId("a1")
        .setState(TaskState.TASK_RUNNING).setUuid("u-1").build());

    assertThat(ack).as("answered while the launch is still open").succeedsWithin(Duration.ofSeconds(5));
    assertThat(launch).isNotDone();
    assertThat(master.received).as("the decline waits for the launch before it")
        .containsExactly("accept", "acknowledge u-1");

    HoldingMaster.answer(held);
    assertThat(decline).succeedsWithin(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.received.size() == 3);
    assertThat(master.received).containsExactly("accept", "acknowledge u-1", "decline");
    assertThat(launch).isDone();
    driver.close();
  }
}

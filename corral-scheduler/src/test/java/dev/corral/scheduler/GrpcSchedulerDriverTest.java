package dev.corral.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.CallAck;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.KillCall;
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
    public void kill(KillCall call, StreamObserver<CallAck> out) {
      received.add("kill " + String.join(",", call.getKillsList().stream().map(k -> k.getTaskId()).toList()));
      answer(out);
    }

    final java.util.Queue<StreamObserver<CallAck>> heldAcks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    volatile boolean holdAcks;

    @Override
    public void acknowledge(AcknowledgeCall call, StreamObserver<CallAck> out) {
      received.add("acknowledge " + String.join(",", call.getAcknowledgementsList().stream()
          .map(a -> a.getUuid()).toList()));
      if (holdAcks) {
        heldAcks.add(out);
      } else {
        answer(out);
      }
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
    GrpcSchedulerDriver driver = driver();

    CompletableFuture<Void> launch = driver.launch(List.of("o1"), List.of(), 5);
    StreamObserver<CallAck> held = master.heldAccept.get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> decline = driver.decline(List.of("o2"), 5);
    CompletableFuture<Void> ack = driver.acknowledge(status("u-1"));

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

  @Test
  void acknowledgementsThatComeWhileTheWindowIsFullGoTogetherInTheCallsThatFollow() throws Exception {
    GrpcSchedulerDriver driver = driver();
    master.holdAcks = true;
    int window = GrpcSchedulerDriver.ACK_CALLS_IN_FLIGHT;
    int perCall = GrpcSchedulerDriver.ACKS_PER_CALL;
    int waiting = perCall + 3;
    List<CompletableFuture<Void>> acks = new java.util.ArrayList<>();
    for (int i = 0; i < window + waiting; i++) {
      acks.add(driver.acknowledge(status("u-" + i)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> master.heldAcks.size() == window);
    Thread.sleep(200); // time for any call beyond the window to arrive, were one sent
    assertThat(master.received).as("one call per acknowledgement while the window had room (in any order)")
        .containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, window).mapToObj(i -> "acknowledge u-" + i)
            .toArray(String[]::new));
    assertThat(acks).noneMatch(CompletableFuture::isDone);

    HoldingMaster.answer(master.heldAcks.poll());
    await().atMost(Duration.ofSeconds(5)).until(() -> acks.stream().filter(CompletableFuture::isDone).count() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> master.received.size() == window + 1);
    assertThat(master.received.get(window)).as("the waiting ones, in order, at most a call's worth")
        .isEqualTo("acknowledge " + String.join(",", java.util.stream.IntStream.range(window, window + perCall)
            .mapToObj(i -> "u-" + i).toList()));

    HoldingMaster.answer(master.heldAcks.poll());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.received.size() == window + 2);
    assertThat(master.received.get(window + 1)).isEqualTo("acknowledge " + String.join(",",
        java.util.stream.IntStream.range(window + perCall, window + waiting).mapToObj(i -> "u-" + i).toList()));

    master.holdAcks = false;
    StreamObserver<CallAck> out;
    while ((out = master.heldAcks.poll()) != null) {
      HoldingMaster.answer(out);
    }
    for (CompletableFuture<Void> ack : acks) {
      assertThat(ack).succeedsWithin(Duration.ofSeconds(5));
    }
    assertThat(master.received).hasSize(window + 2);
    driver.close();
  }

  @Test
  void killsWaitingInLineGoTogetherInOneCallButNeverPastTheCallsAfterThem() throws Exception {
    GrpcSchedulerDriver driver = driver();
    assertThat(driver.kill("t0", "a1", java.util.OptionalDouble.empty())).as("nothing in line: sent at once")
        .succeedsWithin(Duration.ofSeconds(5));

    CompletableFuture<Void> launch = driver.launch(List.of("o1"), List.of(), 5);
    StreamObserver<CallAck> held = master.heldAccept.get(5, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> kills = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      kills.add(driver.kill("t" + i, "a1", java.util.OptionalDouble.of(i)));
    }
    CompletableFuture<Void> decline = driver.decline(List.of("o2"), 5);
    kills.add(driver.kill("t4", "a1", java.util.OptionalDouble.empty()));
    kills.add(driver.kill("t5", "a1", java.util.OptionalDouble.empty()));
    Thread.sleep(200); // time for a call to arrive, were one sent out of turn
    assertThat(master.received).containsExactly("kill t0", "accept");

    HoldingMaster.answer(held);
    for (CompletableFuture<Void> kill : kills) {
      assertThat(kill).succeedsWithin(Duration.ofSeconds(5));
    }
    assertThat(launch).isDone();
    assertThat(decline).isDone();
    assertThat(master.received).containsExactly("kill t0", "accept", "kill t1,t2,t3", "decline", "kill t4,t5");
    driver.close();
  }

  @Test
  void anUpdateWithoutUuidNeedsNoAcknowledgementAndSendsNone() throws Exception {
    GrpcSchedulerDriver driver = driver();
    assertThat(driver.acknowledge(status(""))).isDone();
    assertThat(driver.acknowledge(status("u-1"))).succeedsWithin(Duration.ofSeconds(5));
    assertThat(master.received).containsExactly("acknowledge u-1");
    driver.close();
  }

  private static TaskStatus status(String uuid) {
    return TaskStatus.newBuilder().setTaskId("t1").setAgentId("a1").setState(TaskState.TASK_RUNNING).setUuid(uuid)
        .build();
  }

  private GrpcSchedulerDriver driver() throws java.io.IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(master).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    return new GrpcSchedulerDriver(channel, FrameworkInfo.newBuilder().setName("t").build(),
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
  }
}

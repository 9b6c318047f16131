package dev.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.scheduler.GrpcSchedulerDriver;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The master end to end over gRPC (in-process transport, real event loop and clock): simulated agents
 * speak AgentChannel, frameworks use the real {@link GrpcSchedulerDriver}.
 */
class MasterGrpcTest {
  private static final java.time.Duration WAIT = RecordingScheduler.WAIT;

  private final GrpcCluster cluster = new GrpcCluster();
  private final RecordingScheduler scheduler = new RecordingScheduler();

  @AfterEach
  void close() throws Exception {
    cluster.close();
  }

  private static TaskInfo task(String id, String resources) {
    return TaskInfo.newBuilder().setTaskId(id).setName(id)
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 3600"))
        .addAllResources(TestResources.proto(resources)).build();
  }

  /** An agent, a subscribed framework, its first offer, and task t1 launched, RUNNING and acknowledged. */
  private record Running(SimulatedAgent agent, String agentId, GrpcSchedulerDriver driver, TaskStatus running) {}

  private Running runOneTask() {
    SimulatedAgent agent = cluster.agent("a1", "cpus:4;mem:1024");
    String agentId = agent.connect().join();
    GrpcSchedulerDriver driver = cluster.driver("fw", scheduler);
    Offer offer = scheduler.awaitOffer(0);
    assertThat(offer.getAgentId()).isEqualTo(agentId);
    driver.launch(List.of(offer.getOfferId()), List.of(task("t1", "cpus:1;mem:128")), 0).join();
    TaskStatus running = scheduler.awaitUpdate("t1", TaskState.TASK_RUNNING);
    driver.acknowledge(running).join();
    await().atMost(WAIT).until(() -> agent.acknowledgedUuids().contains(running.getUuid()));
    return new Running(agent, agentId, driver, running);
  }

  @Test
  void subscribeOfferLaunchRunningAcknowledge() {
    Running r = runOneTask();
    assertThat(r.running().getUuid()).isNotEmpty();
    assertThat(r.running().getAgentId()).isEqualTo(r.agentId());
    await().atMost(WAIT).until(() -> r.agent().unackedCount() == 0);
    MasterSnapshot snap = cluster.snapshot();
    assertThat(snap.task("t1").orElseThrow().state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(snap.agent(r.agentId()).orElseThrow().used()).isEqualTo(TestResources.parse("cpus:1;mem:128"));
  }

  @Test
  void everyMessageToAnAgentCarriesTheLeaderEpoch() throws Exception {
    try (GrpcCluster leading = new GrpcCluster(new dev.corral.state.MemoryStore(),
        GrpcCluster.CONFIG.withLeaderEpoch(7))) {
      SimulatedAgent agent = leading.agent("a1", "cpus:4;mem:1024");
      String agentId = agent.connect().join();
      GrpcSchedulerDriver driver = leading.driver("fw", scheduler);
      Offer offer = scheduler.awaitOffer(0);
      driver.launch(List.of(offer.getOfferId()), List.of(task("t1", "cpus:1;mem:128")), 0).join();
      TaskStatus running = scheduler.awaitUpdate("t1", TaskState.TASK_RUNNING);
      driver.acknowledge(running).join();
      await().atMost(WAIT).until(() -> agent.acknowledgedUuids().contains(running.getUuid()));
      assertThat(agentId).isNotEmpty();
      assertThat(agent.received).extracting(MasterMessage::getKindCase)
          .contains(MasterMessage.KindCase.REGISTERED, MasterMessage.KindCase.RUN_TASK,
              MasterMessage.KindCase.ACKNOWLEDGEMENT);
      assertThat(agent.received).allMatch(m -> m.getLeaderEpoch() == 7);
    }
    // a master without an election sends 0, which every agent follows until it has seen an epoch
    SimulatedAgent plain = cluster.agent("a2", "cpus:1;mem:128");
    plain.connect().join();
    assertThat(plain.received).isNotEmpty().allMatch(m -> m.getLeaderEpoch() == 0);
  }

  @Test
  void killEndsInKilledAndTheAckClearsTheTask() {
    Running r = runOneTask();
    r.driver().kill("t1", r.agentId(), OptionalDouble.of(2)).join();
    TaskStatus killed = scheduler.awaitUpdate("t1", TaskState.TASK_KILLED);
    assertThat(r.agent().received).filteredOn(MasterMessage::hasKillTask).first()
        .satisfies(m -> assertThat(m.getKillTask().getGracePeriodSeconds()).isEqualTo(2.0));
    r.driver().acknowledge(killed).join();
    await().atMost(WAIT).until(() -> cluster.snapshot().task("t1").isEmpty());
    assertThat(cluster.snapshot().agent(r.agentId()).orElseThrow().used().isEmpty()).isTrue();
  }

  @Test
  void tooManyResourcesGiveTaskErrorWithTheShortfall() {
    SimulatedAgent agent = cluster.agent("a1", "cpus:4;mem:1024");
    agent.connect().join();
    GrpcSchedulerDriver driver = cluster.driver("fw", scheduler);
    Offer offer = scheduler.awaitOffer(0);
    driver.launch(List.of(offer.getOfferId()), List.of(task("huge", "cpus:1;mem:4096")), 0).join();
    TaskStatus error = scheduler.awaitUpdate("huge", TaskState.TASK_ERROR);
    assertThat(error.getReason()).isEqualTo(StatusReason.REASON_TASK_INVALID);
    assertThat(error.getMessage()).isEqualTo("task huge needs mem:4096 but the offer has mem:1024 left");
    assertThat(agent.received).noneMatch(MasterMessage::hasRunTask);
  }

  @Test
  void launchingOnARescindedOfferDropsTheTask() {
    SimulatedAgent agent = cluster.agent("a1", "cpus:4;mem:1024");
    agent.connect().join();
    GrpcSchedulerDriver driver = cluster.driver("fw", scheduler);
    Offer offer = scheduler.awaitOffer(0);
    agent.disconnect();
    await().atMost(WAIT).until(() -> scheduler.rescinded.contains(offer.getOfferId()));

    driver.launch(List.of(offer.getOfferId()), List.of(task("late", "cpus:1;mem:128")), 0).join();
    TaskStatus dropped = scheduler.awaitUpdate("late", TaskState.TASK_DROPPED);
    assertThat(dropped.getReason()).isEqualTo(StatusReason.REASON_INVALID_OFFERS);
    assertThat(dropped.getMessage()).contains("no longer valid");
  }

  @Test
  void aLostAgentMakesTasksUnreachableUntilItReRegisters() {
    Running r = runOneTask();
    // With refuse 0 the leftovers come straight back as a new offer; it is outstanding when the agent goes.
    Offer leftover = scheduler.awaitOffer(1);
    r.agent().disconnect();

    TaskStatus unreachable = scheduler.awaitUpdate("t1", TaskState.TASK_UNREACHABLE);
    assertThat(unreachable.getReason()).isEqualTo(StatusReason.REASON_AGENT_DISCONNECTED);
    await().atMost(WAIT).until(() -> scheduler.rescinded.contains(leftover.getOfferId()));
    assertThat(scheduler.failures).contains(r.agentId());

    int before = scheduler.updates.size();
    assertThat(r.agent().connect().join()).isEqualTo(r.agentId());
    TaskStatus back = scheduler.awaitUpdate(u -> scheduler.updates.indexOf(u) >= before
        && u.getTaskId().equals("t1") && u.getState() == TaskState.TASK_RUNNING);
    assertThat(back.getUuid()).isEmpty();
    assertThat(cluster.snapshot().task("t1").orElseThrow().state()).isEqualTo(TaskState.TASK_RUNNING);
  }

  @Test
  void aRestartedMasterLearnsTasksFromAgentsAndFrameworksReconcile() throws Exception {
    Running r = runOneTask();
    String frameworkId = scheduler.awaitSubscribed(1);

    cluster.restartMaster();

    assertThat(scheduler.awaitSubscribed(2)).as("re-subscribed with its id").isEqualTo(frameworkId);
    await().atMost(WAIT).until(() -> cluster.snapshot().agent(r.agentId()).map(MasterSnapshot.AgentView::connected)
        .orElse(false));
    int before = scheduler.updates.size();
    r.driver().reconcile(List.of(ReconcileTask.newBuilder().setTaskId("t1").setAgentId(r.agentId()).build())).join();
    TaskStatus answer = scheduler.awaitUpdate(u -> scheduler.updates.indexOf(u) >= before
        && u.getReason() == StatusReason.REASON_RECONCILIATION);
    assertThat(answer.getTaskId()).isEqualTo("t1");
    assertThat(answer.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(answer.getUuid()).isEmpty();

    MasterSnapshot snap = cluster.snapshot();
    assertThat(snap.agents()).singleElement().satisfies(a -> assertThat(a.id()).isEqualTo(r.agentId()));
    assertThat(snap.framework(frameworkId).orElseThrow().connected()).isTrue();
    assertThat(snap.task("t1").orElseThrow().state()).isEqualTo(TaskState.TASK_RUNNING);
    // The new master offers what t1 leaves free.
    await().atMost(WAIT).until(() -> scheduler.offers.stream().anyMatch(o ->
        MasterFixture.resources(o).equals(TestResources.parse("cpus:3;mem:896")) && !o.getOfferId().isEmpty()
            && cluster.snapshot().offers().stream().anyMatch(v -> v.id().equals(o.getOfferId()))));
  }

  @Test
  void callsWithoutASubscriptionFailWithFailedPrecondition() {
    var stub = dev.corral.api.v1.SchedulerChannelGrpc.newBlockingStub(cluster.channel);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> stub.revive(
            dev.corral.api.v1.ReviveCall.newBuilder().setFrameworkId("nobody").build()))
        .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("no live subscription");
        });
  }

  @Test
  void anAgentIsAnsweredOnlyOnceItsRegistrationIsDurable() throws Exception {
    HandStore store = new HandStore();
    try (GrpcCluster slow = new GrpcCluster(store)) {
      SimulatedAgent agent = slow.agent("a1", "cpus:1;mem:128");
      java.util.concurrent.CompletableFuture<String> registered = agent.connect();
      await().atMost(WAIT).until(() -> store.pendingCount() == 1);
      Thread.sleep(200); // give a wrong implementation every chance to answer early
      assertThat(registered).isNotDone();
      assertThat(agent.received).isEmpty();

      store.completeAll();
      String id = registered.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(store.durable.get(Registry.AGENTS + "/" + id)).isPresent();
    }
  }
}

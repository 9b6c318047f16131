package dev.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.agent.master.ConnectionGate;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedAgentsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private ScriptedMaster master;
  private SimulatedAgents agents;

  @BeforeEach
  void startMaster() throws Exception {
    master = new ScriptedMaster(0.05);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (agents != null) {
      agents.close();
    }
    master.close();
  }

  private SimulatedAgents start(SimulationConfig.Builder config) throws InterruptedException {
    agents = SimulatedAgents.start(master.channel, config.build());
    assertThat(agents.awaitRegistered(WAIT)).isTrue();
    return agents;
  }

  private static List<TaskState> states(List<TaskStatus> updates) {
    return updates.stream().map(TaskStatus::getState).toList();
  }

  @Test
  void everyAgentRegistersWithItsResourcesAndAttributesAndHeartbeats() throws Exception {
    start(SimulationConfig.builder(20).resources("cpus:4;mem:1024;ports:[31000-31009]")
        .attributes(i -> List.of(SimulatedAgents.attribute("rack", "r" + i % 2))));

    assertThat(master.registeredPeers()).isEqualTo(20);
    assertThat(agents.stats().registered()).isEqualTo(20);
    String id = agents.agentId(3);
    RegisterAgent first = master.registrations(id).get(0);
    assertThat(first.getInfo().getHostname()).isEqualTo("sim-00003");
    assertThat(first.getInfo().getAttributesList()).extracting(Attribute::getText).containsExactly("r1");
    assertThat(first.getInfo().getResourcesList()).extracting(r -> r.getName()).contains("cpus", "mem", "ports");
    await().atMost(WAIT).until(() -> master.heartbeats(id) >= 3);
  }

  @Test
  void aTaskGoesStartingThenRunningAndIsKeptUntilAcknowledged() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1));
    String id = agents.agentId(0);

    master.runTask(id, "t1");

    await().atMost(WAIT).until(() -> agents.stats().acknowledged() == 2);
    List<TaskStatus> updates = master.updates(id);
    assertThat(states(updates)).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    assertThat(updates).allSatisfy(u -> {
      assertThat(u.getUuid()).isNotEmpty();
      assertThat(u.getAgentId()).isEqualTo(id);
      assertThat(u.getFrameworkId()).isEqualTo(ScriptedMaster.FRAMEWORK_ID);
    });
    assertThat(agents.tasks(0)).isEqualTo(Map.of("t1", TaskState.TASK_RUNNING));
    assertThat(agents.stats().running()).isEqualTo(1);
  }

  @Test
  void theOldestUnacknowledgedUpdateIsResentWithBackoffUntilAcknowledged() throws Exception {
    start(SimulationConfig.builder(1).statusRetryInterval(Duration.ofMillis(100)));
    String id = agents.agentId(0);

    master.runTask(id, "t1");
    await().atMost(WAIT).until(() -> master.updates(id).size() >= 2);
    List<Long> seenAt = new java.util.ArrayList<>(List.of(System.nanoTime()));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
      if (master.updates(id).size() > 2 + seenAt.size() - 1) {
        seenAt.add(System.nanoTime());
      }
      return seenAt.size() == 4;
    });
    List<TaskStatus> updates = master.updates(id);
    // Each round resends the oldest, STARTING, with the uuid of its first send; RUNNING waits its turn.
    assertThat(updates.subList(2, 5)).allSatisfy(u -> assertThat(u.getUuid()).isEqualTo(updates.get(0).getUuid()));
    assertThat(Duration.ofNanos(seenAt.get(3) - seenAt.get(2)))
        .as("the third resend waits 4 intervals after the second (without backoff: 1)")
        .isGreaterThan(Duration.ofMillis(350));

    master.acknowledge(id, updates.get(0));
    int acked = master.updates(id).size();
    await().atMost(WAIT).until(() -> master.updates(id).subList(acked, master.updates(id).size()).stream()
        .anyMatch(u -> u.getUuid().equals(updates.get(1).getUuid())));
    master.acknowledge(id, updates.get(1));
    await().atMost(WAIT).until(() -> agents.stats().acknowledged() == 2);
    int sent = master.updates(id).size();
    // Resends stop: a later kill is the next update the master sees.
    master.autoAck(true);
    master.kill(id, "t1");
    await().atMost(WAIT).until(() -> agents.tasks(0).isEmpty());
    assertThat(states(master.updates(id).subList(sent, master.updates(id).size())))
        .containsOnly(TaskState.TASK_KILLED);
  }

  @Test
  void theRetryTimerSparesUpdatesSentWithinTheInterval() throws Exception {
    // registration sets the timer; once it is overdue, a fresh launch must still wait a whole interval
    start(SimulationConfig.builder(1).statusRetryInterval(Duration.ofSeconds(2)));
    String id = agents.agentId(0);
    Thread.sleep(2_500);

    master.runTask(id, "t1");
    await().atMost(WAIT).until(() -> master.updates(id).size() >= 2);
    long firstSeen = System.nanoTime();

    await().atMost(WAIT).until(() -> master.updates(id).size() > 2);
    Duration untilResent = Duration.ofNanos(System.nanoTime() - firstSeen);
    assertThat(untilResent).as("first resend after the updates were seen").isGreaterThan(Duration.ofSeconds(1));
    assertThat(master.updates(id).get(2).getUuid()).isEqualTo(master.updates(id).get(0).getUuid());
  }

  @Test
  void aKillIsAnsweredKilledAndTheTaskForgottenOnceTheAckArrives() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1));
    String id = agents.agentId(0);
    master.runTask(id, "t1");
    await().atMost(WAIT).until(() -> agents.stats().running() == 1);

    master.kill(id, "t1");

    await().atMost(WAIT).until(() -> agents.tasks(0).isEmpty());
    TaskStatus killed = master.updates(id).get(master.updates(id).size() - 1);
    assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.getReason()).isEqualTo(StatusReason.REASON_TASK_KILLED);
    assertThat(agents.stats().killed()).isEqualTo(1);
    assertThat(agents.stats().tasks()).isZero();
  }

  @Test
  void aKillOfAnUnknownTaskIsAnsweredLostWithNothingToAcknowledge() throws Exception {
    start(SimulationConfig.builder(1));
    String id = agents.agentId(0);

    master.kill(id, "nope");

    await().atMost(WAIT).until(() -> !master.updates(id).isEmpty());
    TaskStatus lost = master.updates(id).get(0);
    assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
    assertThat(lost.getReason()).isEqualTo(StatusReason.REASON_TASK_UNKNOWN);
    assertThat(lost.getUuid()).isEmpty();
  }

  @Test
  void aKillDuringTheLaunchDelayEndsTheTaskBeforeItRuns() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1).launchToRunning(Duration.ofHours(1)));
    String id = agents.agentId(0);
    master.runTask(id, "t1");
    await().atMost(WAIT).until(() -> agents.tasks(0).equals(Map.of("t1", TaskState.TASK_STARTING)));

    master.kill(id, "t1");

    await().atMost(WAIT).until(() -> agents.tasks(0).isEmpty());
    assertThat(states(master.updates(id))).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_KILLED);
    assertThat(agents.stats().running()).isZero();
  }

  @Test
  void theLaunchDelayComesBetweenStartingAndRunning() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1).launchToRunning(Duration.ofMillis(200)).reportStarting(true));
    String id = agents.agentId(0);

    master.runTask(id, "t1");

    await().atMost(WAIT).until(() -> agents.stats().running() == 1);
    assertThat(states(master.updates(id))).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
  }

  @Test
  void withoutStartingOnlyRunningIsReported() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1).reportStarting(false));
    String id = agents.agentId(0);

    master.runTask(id, "t1");

    await().atMost(WAIT).until(() -> agents.stats().acknowledged() == 1);
    assertThat(states(master.updates(id))).containsExactly(TaskState.TASK_RUNNING);
  }

  @Test
  void injectedFailuresEndTasksFailedWithAnExitStatus() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1).failureFraction(1.0));
    String id = agents.agentId(0);

    master.runTask(id, "t1");

    await().atMost(WAIT).until(() -> agents.tasks(0).isEmpty());
    TaskStatus failed = master.updates(id).get(1);
    assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.getExitStatus()).isEqualTo(1);
    assertThat(agents.stats().failed()).isEqualTo(1);
    assertThat(agents.stats().running()).isZero();
  }

  @Test
  void aFailureFractionFailsAboutThatShareOfTasks() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1).failureFraction(0.25).reportStarting(false));
    String id = agents.agentId(0);

    for (int i = 0; i < 400; i++) {
      master.runTask(id, "task-" + i);
    }

    await().atMost(WAIT).until(() -> agents.stats().running() + agents.stats().failed() == 400);
    assertThat(agents.stats().failed()).isBetween(60L, 140L);
  }

  @Test
  void afterTheMasterEndsTheStreamTheAgentReregistersWithItsIdAndTasks() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1));
    String id = agents.agentId(0);
    master.runTask(id, "t1");
    await().atMost(WAIT).until(() -> agents.stats().acknowledged() == 2);

    master.dropStream(id);

    await().atMost(WAIT).until(() -> master.registrations(id).size() == 2);
    RegisterAgent again = master.registrations(id).get(1);
    assertThat(again.getInfo().getAgentId()).isEqualTo(id);
    assertThat(again.getTasksList()).singleElement().satisfies(t -> {
      assertThat(t.getTask().getTaskId()).isEqualTo("t1");
      assertThat(t.getLatestStatus().getState()).isEqualTo(TaskState.TASK_RUNNING);
    });
    await().atMost(WAIT).until(() -> agents.isRegistered(0));
    assertThat(agents.stats().disconnects()).isEqualTo(1);
  }

  @Test
  void whileTheChannelConnectsAgentsWaitAndTheReadyChannelBringsThemBack() throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(master).build().start();
    ConnectionGate gate = new ConnectionGate(server.getPort());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gate.port()).usePlaintext().build();
    try {
      agents = SimulatedAgents.start(channel, SimulationConfig.builder(3).build());
      assertThat(agents.awaitRegistered(WAIT)).isTrue();

      // The master goes away; the channel's next connection is accepted but never answered (a master still
      // starting), so the channel stays connecting. Backoff attempts at 0.1, 0.3, 0.7 and 1.5 s open nothing.
      gate.holdNewConnections();
      gate.cutAll();
      await().atMost(WAIT).until(() -> channel.getState(false) == ConnectivityState.CONNECTING);
      await().during(Duration.ofMillis(1_800)).atMost(Duration.ofSeconds(3)).until(() -> IntStream.range(0, 3)
          .allMatch(i -> agents.linkState(i) == SimLinkState.DISCONNECTED));

      gate.release();
      await().atMost(WAIT).until(() -> agents.stats().registered() == 3);
      for (int i = 0; i < 3; i++) {
        assertThat(master.registrations(agents.agentId(i))).hasSize(2);
      }
    } finally {
      agents.close();
      agents = null;
      channel.shutdownNow();
      gate.close();
      server.shutdownNow();
    }
  }

  @Test
  void anAgentTakenOfflineStaysAwayUntilToldToConnect() throws Exception {
    start(SimulationConfig.builder(2));
    String id = agents.agentId(1);

    agents.goOffline(1);

    await().atMost(WAIT).until(() -> !master.connected(id));
    assertThat(agents.isRegistered(1)).isFalse();
    assertThat(agents.stats().registered()).isEqualTo(1);

    agents.connect(1);

    await().atMost(WAIT).until(() -> agents.isRegistered(1));
    assertThat(master.registrations(id)).hasSize(2);
    assertThat(agents.agentId(1)).isEqualTo(id);
  }

  @Test
  void aSilentAgentKeepsItsStreamButSendsNoHeartbeats() throws Exception {
    start(SimulationConfig.builder(1));
    String id = agents.agentId(0);
    await().atMost(WAIT).until(() -> master.heartbeats(id) >= 1);

    agents.heartbeats(0, false);
    int before = master.heartbeats(id);
    master.runTask(id, "t1"); // a round trip through the shard, after which no heartbeat may be sent
    await().atMost(WAIT).until(() -> master.updates(id).size() >= 2);
    int after = master.heartbeats(id);
    assertThat(after).isLessThanOrEqualTo(before + 1);
    assertThat(master.connected(id)).isTrue();
  }

  @Test
  void shutdownStopsTheAgentForGood() throws Exception {
    master.autoAck(true);
    start(SimulationConfig.builder(1));
    String id = agents.agentId(0);
    master.runTask(id, "t1");
    await().atMost(WAIT).until(() -> agents.stats().running() == 1);

    master.shutdown(id);

    await().atMost(WAIT).until(() -> !master.connected(id));
    assertThat(agents.isRegistered(0)).isFalse();
    assertThat(agents.tasks(0)).isEmpty();
    assertThat(master.registrations(id)).hasSize(1);
  }

  @Test
  void listenersHearFirstSendsAndAcknowledgements() throws Exception {
    master.autoAck(true);
    ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
    agents = SimulatedAgents.start(master.channel, SimulationConfig.builder(1).build(), List.of(new StatusListener() {
      @Override
      public void sent(TaskStatus status) {
        heard.add("sent " + status.getState());
      }

      @Override
      public void acknowledged(TaskStatus status) {
        heard.add("acked " + status.getState());
      }
    }));
    assertThat(agents.awaitRegistered(WAIT)).isTrue();

    master.runTask(agents.agentId(0), "t1");

    await().atMost(WAIT).until(() -> heard.size() == 4);
    assertThat(heard).containsSubsequence("sent TASK_STARTING", "acked TASK_STARTING")
        .containsSubsequence("sent TASK_RUNNING", "acked TASK_RUNNING");
  }

  @Test
  void tenThousandAgentsShareAFewThreads() throws Exception {
    master.autoAck(true);
    int threadsBefore = Thread.activeCount();
    agents = SimulatedAgents.start(master.channel, SimulationConfig.builder(10_000).shards(2).build());
    assertThat(agents.awaitRegistered(Duration.ofSeconds(120))).isTrue();

    assertThat(master.registeredPeers()).isEqualTo(10_000);
    assertThat(Thread.activeCount() - threadsBefore).isLessThan(20);
    for (int i = 0; i < 10_000; i += 1_000) {
      master.runTask(agents.agentId(i), "t" + i);
    }
    await().atMost(WAIT).until(() -> agents.stats().running() == 10);
  }
}

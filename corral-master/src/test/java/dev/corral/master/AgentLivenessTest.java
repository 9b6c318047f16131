package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.agentInfo;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offers;
import static dev.corral.master.MasterFixture.task;
import static dev.corral.master.MasterFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.AgentHeartbeat;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.ReconcileCall;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentLivenessTest {
  private static final MasterConfig CONFIG = MasterFixture.CONFIG
      .withAgentHeartbeatTimeout(Duration.ofSeconds(15))
      .withAgentReregisterTimeout(Duration.ofMinutes(10));

  @Test
  void aSilentAgentIsDisconnectedAndFrameworksHearOfIt() {
    try (MasterFixture m = new MasterFixture(CONFIG, new MemoryStore())) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      String fid = frameworkId(fw);
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      m.allocate();
      m.launch(fid, List.of(offers(fw).get(0).getOfferId()), 0, task("t1", "cpus:1;mem:128"));
      m.status(a1, fid, "t1", TaskState.TASK_RUNNING, "u1");
      m.allocate();
      String outstanding = offers(fw).get(1).getOfferId();
      fw.clear();

      // Heartbeats keep it alive well past the timeout.
      for (int i = 0; i < 6; i++) {
        m.advance(Duration.ofSeconds(5));
        m.send(a1, AgentMessage.newBuilder().setHeartbeat(AgentHeartbeat.getDefaultInstance()).build());
      }
      assertThat(m.snapshot().agent(id).orElseThrow().connected()).isTrue();
      assertThat(a1.sent).anyMatch(MasterMessage::hasHeartbeat);

      m.advance(Duration.ofSeconds(14));
      assertThat(m.snapshot().agent(id).orElseThrow().connected()).isTrue();
      m.advance(Duration.ofSeconds(1));

      assertThat(m.snapshot().agent(id).orElseThrow().state()).isEqualTo("DISCONNECTED");
      assertThat(a1.isClosed()).isTrue();
      assertThat(fw.sent).anySatisfy(e -> assertThat(e.getRescind().getOfferId()).isEqualTo(outstanding));
      assertThat(updates(fw)).singleElement().satisfies(u -> {
        assertThat(u.getTaskId()).isEqualTo("t1");
        assertThat(u.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
        assertThat(u.getReason()).isEqualTo(StatusReason.REASON_AGENT_DISCONNECTED);
        assertThat(u.getSource()).isEqualTo(StatusSource.SOURCE_MASTER);
      });
      assertThat(fw.sent).anySatisfy(e -> assertThat(e.getFailure().getAgentId()).isEqualTo(id));
      assertThat(m.snapshot().offers()).isEmpty();

      // It comes back with its task: the framework sees RUNNING again, and the agent is offered again.
      fw.clear();
      TaskStatus running = TaskStatus.newBuilder().setTaskId("t1").setFrameworkId(fid)
          .setState(TaskState.TASK_RUNNING).setUuid("u1").build();
      m.connect(agentInfo("a1", "cpus:4;mem:4096").toBuilder().setAgentId(id).build(), List.of(AgentTask.newBuilder()
          .setTask(task("t1", "cpus:1;mem:128").toBuilder().setFrameworkId(fid)).setLatestStatus(running).build()));
      m.allocate();
      assertThat(updates(fw)).singleElement().satisfies(u -> assertThat(u.getState()).isEqualTo(TaskState.TASK_RUNNING));
      assertThat(offers(fw)).singleElement().satisfies(o ->
          assertThat(MasterFixture.resources(o)).isEqualTo(TestResources.parse("cpus:3;mem:3968")));
    }
  }

  @Test
  void aMessageThatArrivedBeforeTheDeadlineCountsEvenIfABusyLoopHandlesItAfter() {
    try (MasterFixture m = new MasterFixture(CONFIG, new MemoryStore())) {
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      AgentMessage heartbeat = AgentMessage.newBuilder().setHeartbeat(AgentHeartbeat.getDefaultInstance()).build();

      // the loop is busy (thousands of agents re-registering): the heartbeat that arrives 14 s after the
      // registration is queued behind the work, and handled only after the 15 s deadline has passed
      m.loop.clock().advance(Duration.ofSeconds(14));
      m.loop.execute(() -> m.master.agentProtocol().received(a1, heartbeat));
      m.loop.clock().advance(Duration.ofSeconds(2));
      m.loop.runPending();
      assertThat(m.snapshot().agent(id).orElseThrow().connected()).isTrue();

      // silence from then on still disconnects it, 15 s after that heartbeat was handled
      m.advance(Duration.ofSeconds(14));
      assertThat(m.snapshot().agent(id).orElseThrow().connected()).isTrue();
      m.advance(Duration.ofSeconds(1));
      assertThat(m.snapshot().agent(id).orElseThrow().state()).isEqualTo("DISCONNECTED");
    }
  }

  @Test
  void agentsThatDoNotReRegisterAfterAMasterRestartBecomeUnreachable() {
    Earlier earlier = Earlier.admitted();
    String id = earlier.agentId();
    String fid = earlier.frameworkId();
    try (MasterFixture m = new MasterFixture(CONFIG, earlier.store())) {
      assertThat(m.snapshot().agent(id).orElseThrow().state()).isEqualTo("RECOVERED");
      FakeLink<SchedulerEvent> fw = resubscribe(m, fid);
      assertThat(frameworkId(fw)).isEqualTo(fid);

      m.master.taskCalls().reconcile(ReconcileCall.newBuilder().setFrameworkId(fid)
          .addTasks(ReconcileTask.newBuilder().setTaskId("t1").setAgentId(id))
          .addTasks(ReconcileTask.newBuilder().setTaskId("t2").setAgentId("nobody")).build());
      m.loop.runPending();
      assertThat(updates(fw)).as("t1 waits for its agent; t2's agent is unknown").singleElement().satisfies(u -> {
        assertThat(u.getTaskId()).isEqualTo("t2");
        assertThat(u.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
      });
      assertThat(m.master.reconciliations().waitingCount()).isEqualTo(1);

      m.advance(Duration.ofMinutes(10));
      assertThat(m.snapshot().agent(id).orElseThrow().state()).isEqualTo("UNREACHABLE");
      assertThat(updates(fw)).hasSize(2);
      TaskStatus answer = updates(fw).get(1);
      assertThat(answer.getTaskId()).isEqualTo("t1");
      assertThat(answer.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
      assertThat(answer.getReason()).isEqualTo(StatusReason.REASON_RECONCILIATION);
      assertThat(answer.getUuid()).isEmpty();
    }
  }

  @Test
  void aDeferredReconciliationIsAnsweredWhenTheAgentReRegisters() {
    Earlier earlier = Earlier.admitted();
    String id = earlier.agentId();
    String fid = earlier.frameworkId();
    try (MasterFixture m = new MasterFixture(CONFIG, earlier.store())) {
      FakeLink<SchedulerEvent> fw = resubscribe(m, fid);
      m.master.taskCalls().reconcile(ReconcileCall.newBuilder().setFrameworkId(fid)
          .addTasks(ReconcileTask.newBuilder().setTaskId("t1").setAgentId(id))
          .addTasks(ReconcileTask.newBuilder().setTaskId("t9").setAgentId(id)).build());
      m.loop.runPending();
      assertThat(updates(fw)).isEmpty();

      TaskStatus running = TaskStatus.newBuilder().setTaskId("t1").setFrameworkId(fid)
          .setState(TaskState.TASK_RUNNING).setUuid("u1").build();
      m.connect(agentInfo("a1", "cpus:1;mem:128").toBuilder().setAgentId(id).build(), List.of(AgentTask.newBuilder()
          .setTask(task("t1", "cpus:1;mem:128").toBuilder().setFrameworkId(fid)).setLatestStatus(running).build()));

      // The re-registration's update for t1 is its answer (sent once, not again as a second answer); then t9's.
      assertThat(updates(fw)).extracting(TaskStatus::getTaskId, TaskStatus::getState, TaskStatus::getReason)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("t1", TaskState.TASK_RUNNING, StatusReason.REASON_RECONCILIATION),
              org.assertj.core.groups.Tuple.tuple("t9", TaskState.TASK_GONE, StatusReason.REASON_RECONCILIATION));
      assertThat(updates(fw).get(0).getUuid()).as("nothing to acknowledge").isEmpty();
      assertThat(m.master.reconciliations().waitingCount()).isZero();
    }
  }

  @Test
  void aLargeReconciliationIsAnsweredInTurnsSoThatRegistrationsGetIn() {
    Earlier earlier = Earlier.admitted();
    String id = earlier.agentId();
    String fid = earlier.frameworkId();
    try (MasterFixture m = new MasterFixture(CONFIG, earlier.store())) {
      FakeLink<SchedulerEvent> fw = resubscribe(m, fid);
      int batch = TaskCalls.RECONCILE_BATCH;
      ReconcileCall.Builder call = ReconcileCall.newBuilder().setFrameworkId(fid);
      for (int i = 0; i < 2 * batch + batch / 2; i++) {
        call.addTasks(ReconcileTask.newBuilder().setTaskId("t" + i).setAgentId(id));
      }
      m.master.taskCalls().reconcile(call.build());
      assertThat(m.master.reconciliations().waitingCount()).as("one turn's worth waits for the agent").isEqualTo(batch);

      // The agent's re-registration arrives while the rest of the reconciliation is queued: it gets in after
      // the next turn, not after the whole call.
      FakeLink<MasterMessage> agent = new FakeLink<>();
      AgentMessage register = AgentMessage.newBuilder().setRegister(dev.corral.api.v1.RegisterAgent.newBuilder()
          .setInfo(agentInfo("a1", "cpus:1;mem:128").toBuilder().setAgentId(id))).build();
      m.loop.execute(() -> m.master.agentProtocol().received(agent, register)); // as the agent service queues it
      assertThat(m.loop.runNext()).isTrue();
      assertThat(m.master.reconciliations().waitingCount()).isEqualTo(2 * batch);
      assertThat(m.loop.runNext()).isTrue();
      assertThat(agentId(agent)).isEqualTo(id);
      assertThat(updates(fw)).as("the waiting answers, before the last turn").hasSize(2 * batch);

      m.loop.runPending();
      assertThat(updates(fw)).hasSize(2 * batch + batch / 2)
          .allSatisfy(u -> assertThat(u.getState()).isEqualTo(TaskState.TASK_GONE));
      assertThat(m.master.reconciliations().waitingCount()).isZero();
    }
  }

  /** A store in which an earlier master admitted framework "fw" and agent "a1" (then stopped). */
  private record Earlier(MemoryStore store, String frameworkId, String agentId) {
    static Earlier admitted() {
      MemoryStore store = new MemoryStore();
      try (MasterFixture first = new MasterFixture(CONFIG, store)) {
        return new Earlier(store, MasterFixture.frameworkId(first.framework("fw", "*")),
            MasterFixture.agentId(first.agent("a1", "cpus:1;mem:128")));
      }
    }
  }

  /** Framework "fw" subscribing again, with its id, to the master that took over. */
  private static FakeLink<SchedulerEvent> resubscribe(MasterFixture m, String frameworkId) {
    return m.subscribe(dev.corral.api.v1.FrameworkInfo.newBuilder().setFrameworkId(frameworkId).setName("fw").build());
  }
}

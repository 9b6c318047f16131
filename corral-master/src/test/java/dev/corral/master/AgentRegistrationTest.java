package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.agentInfo;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offers;
import static dev.corral.master.MasterFixture.task;
import static dev.corral.master.MasterFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.AgentHeartbeat;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.state.MemoryStore;
import dev.corral.state.StoreException;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRegistrationTest {

  @Test
  void aRegistrationIsAnsweredOnlyAfterTheStoreWriteCompleted() {
    HandStore store = new HandStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      store.completeAll(); // the framework's own write
      m.loop.runPending();

      FakeLink<MasterMessage> link = m.agent("a1", "cpus:1;mem:128");
      m.allocate();
      assertThat(store.pendingCount()).isEqualTo(1);
      assertThat(link.sent).as("not acknowledged before the write is durable").isEmpty();
      assertThat(offers(fw)).as("not offered either").isEmpty();
      assertThat(m.snapshot().agents()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo("REGISTERING"));

      store.completeAll();
      m.loop.runPending();
      String id = agentId(link);
      assertThat(store.durable.get(Registry.AGENTS + "/" + id)).isPresent();
      assertThat(link.sent.get(0).getRegistered().getMasterId()).isEqualTo("test-master");
      assertThat(link.sent.get(0).getRegistered().getHeartbeatIntervalSeconds()).isEqualTo(5.0);
      m.allocate();
      assertThat(offers(fw)).hasSize(1);
    }
  }

  @Test
  void aFailedWriteRejectsTheRegistrationAndForgetsTheNewAgent() {
    HandStore store = new HandStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<MasterMessage> link = m.agent("a1", "cpus:1;mem:128");
      store.failAll(new StoreException("zk down"));
      m.loop.runPending();
      assertThat(link.sent).noneMatch(MasterMessage::hasRegistered);
      assertThat(link.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(link.closedWith.getDescription()).contains("zk down");
      assertThat(m.snapshot().agents()).isEmpty();
    }
  }

  @Test
  void theFirstMessageMustBeRegister() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<MasterMessage> link = new FakeLink<>();
      m.send(link, AgentMessage.newBuilder().setHeartbeat(AgentHeartbeat.getDefaultInstance()).build());
      assertThat(link.closedWith.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(link.closedWith.getDescription()).contains("must be register");
    }
  }

  @Test
  void invalidResourcesAreRejected() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<MasterMessage> link = m.connect(AgentInfo.newBuilder().setHostname("bad")
          .addResources(dev.corral.api.v1.Resource.newBuilder().setName("cpus").setScalar(-1)).build(), List.of());
      assertThat(link.sent).singleElement().satisfies(msg -> assertThat(msg.hasRejected()).isTrue());
      assertThat(link.closedWith.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void aNewerStreamReplacesTheOlderAndAnUnchangedReRegistrationWritesNothing() {
    MemoryStore store = new MemoryStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<MasterMessage> first = m.agent("a1", "cpus:1;mem:128");
      String id = agentId(first);
      int commits = store.commitCount();

      FakeLink<MasterMessage> second = m.connect(agentInfo("a1", "cpus:1;mem:128").toBuilder().setAgentId(id).build(),
          List.of());
      assertThat(agentId(second)).isEqualTo(id);
      assertThat(first.closedWith.getCode()).isEqualTo(Status.Code.ABORTED);
      assertThat(store.commitCount()).as("nothing changed, nothing written").isEqualTo(commits);

      // The old stream is ignored from now on, also when it ends.
      m.master.agentProtocol().streamEnded(first);
      m.loop.runPending();
      assertThat(m.snapshot().agent(id).orElseThrow().connected()).isTrue();

      // Changed resources are persisted and replace the old ones.
      FakeLink<MasterMessage> third = m.connect(agentInfo("a1", "cpus:2;mem:256").toBuilder().setAgentId(id).build(),
          List.of());
      assertThat(agentId(third)).isEqualTo(id);
      assertThat(store.commitCount()).isEqualTo(commits + 1);
      assertThat(m.snapshot().agent(id).orElseThrow().total()).isEqualTo(TestResources.parse("cpus:2;mem:256"));
    }
  }

  @Test
  void anUnknownIdIsAdmittedUnderThatId() {
    MemoryStore store = new MemoryStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<MasterMessage> link = m.connect(agentInfo("a1", "cpus:1").toBuilder().setAgentId("old-S7").build(),
          List.of());
      assertThat(agentId(link)).isEqualTo("old-S7");
      assertThat(store.get(Registry.AGENTS + "/old-S7")).isPresent();
    }
  }

  @Test
  void reRegistrationRebuildsTheTaskTable() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      String fid = frameworkId(fw);
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      m.allocate();
      m.launch(fid, List.of(offers(fw).get(0).getOfferId()), 0, task("kept", "cpus:1;mem:128"),
          task("lost", "cpus:1;mem:128"));
      m.status(a1, fid, "kept", TaskState.TASK_RUNNING, "u1");
      fw.clear();

      TaskStatus running = TaskStatus.newBuilder().setTaskId("kept").setFrameworkId(fid).setAgentId(id)
          .setState(TaskState.TASK_RUNNING).setUuid("u1").build();
      AgentTask kept = AgentTask.newBuilder().setTask(task("kept", "cpus:1;mem:128").toBuilder().setFrameworkId(fid))
          .setLatestStatus(running).build();
      m.connect(agentInfo("a1", "cpus:4;mem:4096").toBuilder().setAgentId(id).build(), List.of(kept));

      assertThat(updates(fw)).satisfiesExactlyInAnyOrder(
          u -> {
            assertThat(u.getTaskId()).isEqualTo("kept");
            assertThat(u.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(u.getUuid()).as("reconciliation-style, nothing to ack").isEmpty();
          },
          u -> {
            assertThat(u.getTaskId()).isEqualTo("lost");
            assertThat(u.getState()).isEqualTo(TaskState.TASK_GONE);
            assertThat(u.getSource()).isEqualTo(dev.corral.api.v1.StatusSource.SOURCE_MASTER);
            assertThat(u.getReason()).isEqualTo(StatusReason.REASON_RECONCILIATION);
            assertThat(u.getMessage()).isEqualTo("task unknown to agent " + id + " after re-registration");
          });
      MasterSnapshot snap = m.snapshot();
      assertThat(snap.tasks()).extracting(MasterSnapshot.TaskView::id).containsExactly("kept");
      assertThat(snap.agent(id).orElseThrow().used()).isEqualTo(TestResources.parse("cpus:1;mem:128"));
    }
  }

  @Test
  void anAgentWhoseStreamEndsWhileItsWriteIsPendingIsAdmittedButDisconnected() {
    HandStore store = new HandStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<MasterMessage> link = m.agent("a1", "cpus:1;mem:128");
      m.master.agentProtocol().streamEnded(link);
      m.loop.runPending();
      store.completeAll();
      m.loop.runPending();
      assertThat(link.sent).isEmpty();
      assertThat(m.snapshot().agents()).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo("DISCONNECTED"));
      assertThat(store.durable.children(Registry.AGENTS)).hasSize(1);
    }
  }

  @Test
  void aNewerStreamDuringAPendingWriteWinsAndTheOlderCompletionIsIgnored() {
    HandStore store = new HandStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      AgentInfo info = agentInfo("a1", "cpus:1;mem:128").toBuilder().setAgentId("a1-id").build();
      FakeLink<MasterMessage> first = m.connect(info, List.of());
      FakeLink<MasterMessage> second = m.connect(info.toBuilder().clearResources()
          .addAllResources(TestResources.proto("cpus:2;mem:256")).build(), List.of());
      assertThat(first.closedWith.getCode()).isEqualTo(Status.Code.ABORTED);
      store.completeAll();
      m.loop.runPending();
      assertThat(first.sent).isEmpty();
      assertThat(second.sent).filteredOn(MasterMessage::hasRegistered).hasSize(1);
      assertThat(m.snapshot().agent("a1-id").orElseThrow().total()).isEqualTo(TestResources.parse("cpus:2;mem:256"));
    }
  }
}

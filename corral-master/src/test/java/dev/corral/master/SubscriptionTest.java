package dev.corral.master;

import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.KillCall;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.state.MemoryStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

  @Test
  void subscribedIsSentOnlyAfterTheFrameworkIsPersisted() {
    HandStore store = new HandStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      assertThat(fw.sent).isEmpty();
      store.completeAll();
      m.loop.runPending();
      String id = frameworkId(fw);
      assertThat(store.durable.get(Registry.FRAMEWORKS + "/" + id)).isPresent();
      assertThat(fw.sent.get(0).getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    }
  }

  @Test
  void callsNeedALiveSubscription() {
    try (MasterFixture m = new MasterFixture()) {
      assertThatThrownBy(() -> m.master.offerCalls().revive("nope"))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("framework nope has no live subscription");
          });
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      String id = frameworkId(fw);
      m.master.subscriptions().streamEnded(fw);
      m.loop.runPending();
      assertThatThrownBy(() -> m.master.taskCalls().kill(KillCall.newBuilder().setFrameworkId(id).setTaskId("t").build()))
          .isInstanceOf(StatusRuntimeException.class);
    }
  }

  @Test
  void aNewerSubscriptionReplacesTheOlderAndHeartbeatsFlow() {
    MemoryStore store = new MemoryStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<SchedulerEvent> first = m.framework("fw", "*");
      String id = frameworkId(first);
      int commits = store.commitCount();
      FakeLink<SchedulerEvent> second = m.subscribe(FrameworkInfo.newBuilder().setFrameworkId(id).setName("fw")
          .setRole("*").build());
      assertThat(frameworkId(second)).isEqualTo(id);
      assertThat(first.closedWith.getCode()).isEqualTo(Status.Code.ABORTED);
      assertThat(store.commitCount()).isEqualTo(commits);

      m.advance(Duration.ofSeconds(31));
      assertThat(second.sent).filteredOn(SchedulerEvent::hasHeartbeat).hasSize(2);
    }
  }

  @Test
  void aDisconnectedFrameworksOffersGoToOthers() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> alpha = m.framework("alpha", "*");
      m.agent("a1", "cpus:1;mem:128");
      m.allocate();
      assertThat(offers(alpha)).hasSize(1);
      FakeLink<SchedulerEvent> beta = m.framework("beta", "*");
      m.allocate();
      assertThat(offers(beta)).isEmpty();

      m.master.subscriptions().streamEnded(alpha);
      m.loop.runPending();
      m.allocate();
      assertThat(offers(beta)).hasSize(1);
      assertThat(m.snapshot().framework(frameworkId(alpha)).orElseThrow().state()).isEqualTo("DISCONNECTED");
    }
  }
}

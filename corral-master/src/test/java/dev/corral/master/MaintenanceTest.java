package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.agentInfo;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offers;
import static dev.corral.master.MasterFixture.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class MaintenanceTest {

  private static <T> T done(MasterFixture m, CompletableFuture<T> f) {
    m.loop.runPending();
    return f.join();
  }

  @Test
  void drainTellsFrameworksStopsOffersKillsAtTheDeadlineAndEndsDrained() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      String fid = frameworkId(fw);
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      m.allocate();
      m.launch(fid, List.of(offers(fw).get(0).getOfferId()), 0, task("t1", "cpus:1;mem:128"),
          task("t2", "cpus:1;mem:128"));
      m.status(a1, fid, "t1", TaskState.TASK_RUNNING, "u1");
      m.status(a1, fid, "t2", TaskState.TASK_RUNNING, "u2");
      m.allocate();
      assertThat(m.snapshot().offers()).hasSize(1);
      fw.clear();

      AgentEndpoint after = done(m, m.master.drain(id, Duration.ofSeconds(60)));

      assertThat(after.maintenance()).isEqualTo("DRAINING");
      assertThat(fw.sent).anySatisfy(e -> {
        assertThat(e.getDrain().getAgentId()).isEqualTo(id);
        assertThat(e.getDrain().getDraining()).isTrue();
        assertThat(e.getDrain().getDeadlineMillis()).isEqualTo(m.loop.clock().millis() + 60_000);
      });
      assertThat(fw.sent).anyMatch(SchedulerEvent::hasRescind);
      assertThat(m.snapshot().offers()).isEmpty();
      assertThat(m.store.get(Maintenance.AGENTS + "/" + id)).isPresent();

      // The framework moves one task itself; a later subscriber hears of the drain too.
      m.status(a1, fid, "t1", TaskState.TASK_KILLED, "u3");
      m.allocate();
      assertThat(offers(fw)).isEmpty();
      FakeLink<SchedulerEvent> late = m.framework("late", "*");
      assertThat(late.sent).anySatisfy(e -> assertThat(e.getDrain().getAgentId()).isEqualTo(id));

      // At the deadline the master kills what is left; once it ends the agent is DRAINED.
      m.advance(Duration.ofSeconds(60));
      assertThat(a1.sent).filteredOn(MasterMessage::hasKillTask)
          .singleElement().satisfies(k -> assertThat(k.getKillTask().getTaskId()).isEqualTo("t2"));
      m.status(a1, fid, "t2", TaskState.TASK_KILLED, "u4");
      assertThat(m.snapshot().agent(id).orElseThrow()).isNotNull();
      assertThat(endpoint(m, id).maintenance()).isEqualTo("DRAINED");

      // Reactivated, it is offered again and the drain is called off for frameworks.
      fw.clear();
      assertThat(done(m, m.master.reactivate(id)).maintenance()).isEqualTo("ACTIVE");
      m.allocate();
      assertThat(offers(fw)).isNotEmpty();
      assertThat(fw.sent).anySatisfy(e -> assertThat(e.getDrain().getDraining()).isFalse());
      assertThat(m.store.get(Maintenance.AGENTS + "/" + id)).isEmpty();
    }
  }

  @Test
  void deactivateStopsOffersButKeepsTasksAndIllegalMovesAre409() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      assertThat(done(m, m.master.deactivate(id)).maintenance()).isEqualTo("DEACTIVATED");
      m.allocate();
      assertThat(offers(fw)).isEmpty();
      assertThat(a1.sent).noneMatch(MasterMessage::hasKillTask);

      // Drained agents cannot be deactivated; unknown agents are 404s.
      done(m, m.master.drain(id, null));
      assertThat(endpoint(m, id).maintenance()).isEqualTo("DRAINED");
      assertThatThrownBy(() -> done(m, m.master.deactivate(id))).isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(OperatorException.class).hasMessageContaining("DRAINED")
          .satisfies(e -> assertThat(((OperatorException) e).status()).isEqualTo(409));
      assertThatThrownBy(() -> done(m, m.master.drain("nope", null))).cause()
          .satisfies(e -> assertThat(((OperatorException) e).status()).isEqualTo(404));
    }
  }

  @Test
  void modesSurviveARestartOfTheMaster() {
    MemoryStore store = new MemoryStore();
    String id;
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      id = agentId(m.agent("a1", "cpus:4;mem:4096"));
      done(m, m.master.deactivate(id));
    }
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      m.connect(agentInfo("a1", "cpus:4;mem:4096").toBuilder().setAgentId(id).build(), List.of());
      m.allocate();
      assertThat(endpoint(m, id).maintenance()).isEqualTo("DEACTIVATED");
      assertThat(offers(fw)).isEmpty();
    }
  }

  @Test
  void offersOfScheduledMachinesCarryTheirWindow() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      m.agent("a1", "cpus:4;mem:4096");
      m.agent("a2", "cpus:4;mem:4096");
      long start = m.loop.clock().millis();
      done(m, m.master.setMaintenanceSchedule(List.of(new MaintenanceWindow(List.of(new MachineId("a1", "")), start,
          OptionalLong.of(3_600_000)))));
      m.allocate();
      assertThat(offers(fw)).hasSize(2).allSatisfy(o -> {
        if (o.getHostname().equals("a1")) {
          assertThat(o.getUnavailability().getStartMillis()).isEqualTo(start);
          assertThat(o.getUnavailability().getDurationMillis()).isEqualTo(3_600_000);
        } else {
          assertThat(o.hasUnavailability()).isFalse();
        }
      });
      assertThat(done(m, m.master.maintenanceSchedule())).hasSize(1);
      // Machine down drains a1 at once; up brings it back.
      assertThat(done(m, m.master.machinesDown(List.of(new MachineId("a1", ""))))).singleElement()
          .satisfies(a -> assertThat(a.maintenance()).isIn("DRAINING", "DRAINED"));
      assertThat(done(m, m.master.machinesUp(List.of(new MachineId("a1", ""))))).singleElement()
          .satisfies(a -> assertThat(a.maintenance()).isEqualTo("ACTIVE"));
    }
  }

  @Test
  void anAgentGoneLongerThanTheReregisterTimeoutIsToldToKillItsTasks() {
    MasterConfig config = MasterFixture.CONFIG.withAgentHeartbeatTimeout(Duration.ofSeconds(9))
        .withAgentReregisterTimeout(Duration.ofMinutes(10));
    try (MasterFixture m = new MasterFixture(config, new MemoryStore())) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      String fid = frameworkId(fw);
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      m.allocate();
      m.launch(fid, List.of(offers(fw).get(0).getOfferId()), 0, task("t1", "cpus:1;mem:128"));
      m.status(a1, fid, "t1", TaskState.TASK_RUNNING, "u1");
      TaskStatus running = TaskStatus.newBuilder().setTaskId("t1").setFrameworkId(fid)
          .setState(TaskState.TASK_RUNNING).setUuid("u1").build();
      AgentTask reported = AgentTask.newBuilder()
          .setTask(task("t1", "cpus:1;mem:128").toBuilder().setFrameworkId(fid)).setLatestStatus(running).build();

      // Silent for 9 s: lost. Back within the timeout: its task lives on.
      m.advance(Duration.ofSeconds(9));
      assertThat(endpoint(m, id).state()).isEqualTo("DISCONNECTED");
      FakeLink<MasterMessage> back = m.connect(agentInfo("a1", "cpus:4;mem:4096").toBuilder().setAgentId(id).build(),
          List.of(reported));
      assertThat(back.sent).noneMatch(MasterMessage::hasKillTask);

      // Lost again, and back only after 10 minutes: told to kill it.
      m.advance(Duration.ofSeconds(9));
      m.advance(Duration.ofMinutes(10));
      FakeLink<MasterMessage> late = m.connect(agentInfo("a1", "cpus:4;mem:4096").toBuilder().setAgentId(id).build(),
          List.of(reported));
      assertThat(late.sent).filteredOn(MasterMessage::hasKillTask).singleElement()
          .satisfies(k -> assertThat(k.getKillTask().getTaskId()).isEqualTo("t1"));
    }
  }

  @Test
  void aConfigChangeThatNeedsADrainIsRefusedWhileTasksRunAndAcceptedOnceDrained() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
      String fid = frameworkId(fw);
      dev.corral.api.v1.AgentInfo info = agentInfo("a1", "cpus:4;mem:4096").toBuilder()
          .addAttributes(dev.corral.api.v1.Attribute.newBuilder().setName("rack").setText("r1")).build();
      FakeLink<MasterMessage> a1 = m.connect(info, List.of());
      String id = agentId(a1);
      m.allocate();
      m.launch(fid, List.of(offers(fw).get(0).getOfferId()), 0, task("t1", "cpus:1;mem:128"));
      m.status(a1, fid, "t1", TaskState.TASK_RUNNING, "u1");
      AgentTask running = AgentTask.newBuilder().setTask(task("t1", "cpus:1;mem:128").toBuilder().setFrameworkId(fid))
          .setLatestStatus(TaskStatus.newBuilder().setTaskId("t1").setFrameworkId(fid).setState(TaskState.TASK_RUNNING))
          .build();

      // More resources and a new attribute: fine while running.
      dev.corral.api.v1.AgentInfo grown = agentInfo("a1", "cpus:8;mem:4096").toBuilder().setAgentId(id)
          .addAttributes(dev.corral.api.v1.Attribute.newBuilder().setName("rack").setText("r1"))
          .addAttributes(dev.corral.api.v1.Attribute.newBuilder().setName("zone").setText("z1")).build();
      FakeLink<MasterMessage> current = m.connect(grown, List.of(running));
      assertThat(current.sent).anyMatch(MasterMessage::hasRegistered);

      // A changed attribute and fewer cpus: refused, saying what changed and what to do.
      dev.corral.api.v1.AgentInfo moved = agentInfo("a1", "cpus:2;mem:4096").toBuilder().setAgentId(id)
          .addAttributes(dev.corral.api.v1.Attribute.newBuilder().setName("rack").setText("r2")).build();
      FakeLink<MasterMessage> refused = m.connect(moved, List.of(running));
      assertThat(refused.sent).noneMatch(MasterMessage::hasRegistered);
      assertThat(refused.sent).filteredOn(MasterMessage::hasRejected).singleElement().satisfies(r ->
          assertThat(r.getRejected().getReason()).contains("attribute rack r1 -> r2").contains("resources shrank")
              .contains("zone removed").contains("corral node drain " + id));
      assertThat(refused.isClosed()).isTrue();

      // Drained (its task gone), the same change is accepted.
      done(m, m.master.drain(id, Duration.ofSeconds(1)));
      m.advance(Duration.ofSeconds(1));
      m.status(current, fid, "t1", TaskState.TASK_KILLED, "u2");
      assertThat(endpoint(m, id).maintenance()).isEqualTo("DRAINED");
      assertThat(m.connect(moved, List.of()).sent).anyMatch(MasterMessage::hasRegistered);
    }
  }

  @Test
  void dynamicReservationsMoveUnreservedResourcesToARoleAndBack() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> star = m.framework("star", "*");
      FakeLink<SchedulerEvent> ads = m.framework("zz-ads", "ads");
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
      String id = agentId(a1);
      dev.corral.api.v1.Resource two = dev.corral.api.v1.Resource.newBuilder().setName("cpus").setRole("ads")
          .setScalar(2).build();
      AgentEndpoint after = done(m, m.master.reserve(id, List.of(two)));
      assertThat(after.total().scalar("cpus", "ads")).isEqualTo(2);
      assertThat(after.total().scalar("cpus", "*")).isEqualTo(2);
      assertThat(m.store.get(Reservations.ROOT + "/" + id)).isPresent();
      star.clear();
      m.allocate();
      // The star framework (first by name) gets the unreserved part; the reserved cpus go on to ads.
      assertThat(offers(star)).singleElement().satisfies(o ->
          assertThat(MasterFixture.resources(o).scalar("cpus", "ads")).isZero());
      assertThat(offers(ads)).singleElement().satisfies(o ->
          assertThat(MasterFixture.resources(o).scalar("cpus", "ads")).isEqualTo(2));

      // More than is free: 409. Unknown role "*": 400. Unreserve: back to 4 unreserved.
      dev.corral.api.v1.Resource ten = two.toBuilder().setScalar(10).build();
      assertThatThrownBy(() -> done(m, m.master.reserve(id, List.of(ten)))).cause()
          .satisfies(e -> assertThat(((OperatorException) e).status()).isEqualTo(409));
      assertThatThrownBy(() -> done(m, m.master.reserve(id, List.of(two.toBuilder().setRole("*").build())))).cause()
          .hasMessageStartingWith("resources[0].role: ");
      AgentEndpoint back = done(m, m.master.unreserve(id, List.of(two)));
      assertThat(back.total().scalar("cpus", "*")).isEqualTo(4);
      assertThat(m.store.get(Reservations.ROOT + "/" + id)).isEmpty();
    }
  }

  @Test
  void frameworksReserveForTheirRoleInAnAcceptAndLaunchOnItAtOnce() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("ads-fw", "ads");
      String fid = frameworkId(fw);
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:1024");
      String id = agentId(a1);
      m.allocate();
      String offer = offers(fw).get(0).getOfferId();
      dev.corral.api.v1.Operation reserve = dev.corral.api.v1.Operation.newBuilder().setReserve(
          dev.corral.api.v1.Reserve.newBuilder().addResources(dev.corral.api.v1.Resource.newBuilder().setName("cpus")
              .setRole("ads").setScalar(2))).build();
      dev.corral.api.v1.Operation launch = dev.corral.api.v1.Operation.newBuilder().setLaunch(
          dev.corral.api.v1.Launch.newBuilder().addTasks(task("t1", "cpus(ads):1;mem:128"))).build();
      m.master.offerCalls().accept(dev.corral.api.v1.AcceptCall.newBuilder().setFrameworkId(fid).addOfferIds(offer)
          .addOperations(reserve).addOperations(launch).build());
      m.loop.runPending();

      assertThat(a1.sent).filteredOn(MasterMessage::hasRunTask).singleElement()
          .satisfies(r -> assertThat(r.getRunTask().getTask().getTaskId()).isEqualTo("t1"));
      assertThat(m.store.get(Reservations.ROOT + "/" + id)).isPresent();
      assertThat(endpoint(m, id).total().scalar("cpus", "ads")).isEqualTo(2);

      // Another role's framework may not reserve for ads.
      FakeLink<SchedulerEvent> other = m.framework("web-fw", "web");
      m.advance(Duration.ofSeconds(6));
      String otherOffer = offers(other).get(0).getOfferId();
      assertThatThrownBy(() -> m.master.offerCalls().accept(dev.corral.api.v1.AcceptCall.newBuilder()
          .setFrameworkId(frameworkId(other)).addOfferIds(otherOffer).addOperations(reserve).build()))
          .hasMessageContaining("operations[0].reserve.resources[0].role");
    }
  }

  private static AgentEndpoint endpoint(MasterFixture m, String id) {
    return done(m, m.master.agentEndpoint(id)).orElseThrow();
  }
}

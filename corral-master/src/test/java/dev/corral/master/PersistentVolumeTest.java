package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offers;
import static dev.corral.master.MasterFixture.task;
import static dev.corral.master.MasterFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.Create;
import dev.corral.api.v1.Destroy;
import dev.corral.api.v1.Launch;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.PersistentVolume;
import dev.corral.api.v1.Reserve;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.Unreserve;
import dev.corral.api.v1.VolumeMount;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CREATE and DESTROY of persistent volumes in ACCEPT calls, and what offers and agents learn of them. */
class PersistentVolumeTest {
  private static final PersistentVolume DATA =
      PersistentVolume.newBuilder().setPersistenceId("app#data#1").setRole("svc").setSizeMb(100).build();

  private static Operation reserve(String name, double amount) {
    return Operation.newBuilder().setReserve(Reserve.newBuilder().addResources(
        Resource.newBuilder().setName(name).setRole("svc").setScalar(amount))).build();
  }

  private static Operation unreserve(String name, double amount) {
    return Operation.newBuilder().setUnreserve(Unreserve.newBuilder().addResources(
        Resource.newBuilder().setName(name).setRole("svc").setScalar(amount))).build();
  }

  private static Operation create(PersistentVolume v) {
    return Operation.newBuilder().setCreate(Create.newBuilder().addVolumes(v)).build();
  }

  private static Operation destroy(PersistentVolume v) {
    return Operation.newBuilder().setDestroy(Destroy.newBuilder().addVolumes(
        PersistentVolume.newBuilder().setPersistenceId(v.getPersistenceId()))).build();
  }

  private static Operation launch(TaskInfo... tasks) {
    return Operation.newBuilder().setLaunch(Launch.newBuilder().addAllTasks(List.of(tasks))).build();
  }

  private static TaskInfo mounting(String id, String volume) {
    return mounting(id, volume, "cpus(svc):1;mem(svc):128");
  }

  private static TaskInfo mounting(String id, String volume, String resources) {
    return task(id, resources).toBuilder().addVolumeMounts(
        VolumeMount.newBuilder().setName("data").setMountPath("data").setPersistenceId(volume)).build();
  }

  private static void accept(MasterFixture m, String fid, Offer offer, Operation... ops) {
    m.master.offerCalls().accept(AcceptCall.newBuilder().setFrameworkId(fid).addOfferIds(offer.getOfferId())
        .addAllOperations(List.of(ops)).build());
    m.loop.runPending();
  }

  private static Offer lastOffer(FakeLink<SchedulerEvent> fw) {
    List<Offer> all = offers(fw);
    return all.get(all.size() - 1);
  }

  private static List<PersistentVolume> lastVolumesSent(FakeLink<MasterMessage> agent) {
    return agent.sent.stream().filter(MasterMessage::hasVolumes).reduce((a, b) -> b).orElseThrow()
        .getVolumes().getVolumesList();
  }

  @Test
  void aVolumeIsMadeFromReservedDiskMountedByOneTaskAtATimeAndOfferedWhileFree() {
    MemoryStore store = new MemoryStore();
    try (MasterFixture m = new MasterFixture(MasterFixture.CONFIG, store)) {
      FakeLink<SchedulerEvent> fw = m.framework("svc-fw", "svc");
      String fid = frameworkId(fw);
      FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:1024;disk:1000");
      String id = agentId(a1);
      assertThat(lastVolumesSent(a1)).as("told at registration").isEmpty();
      m.allocate();

      accept(m, fid, lastOffer(fw), reserve("cpus", 1), reserve("mem", 128), reserve("disk", 100), create(DATA),
          launch(mounting("t1", DATA.getPersistenceId())));

      assertThat(a1.sent).filteredOn(MasterMessage::hasRunTask).singleElement().satisfies(r ->
          assertThat(r.getRunTask().getTask().getVolumeMounts(0).getPersistenceId()).isEqualTo("app#data#1"));
      assertThat(lastVolumesSent(a1)).containsExactly(DATA);
      assertThat(m.master.agentEndpoint(id)).isNotNull();
      // the volume's disk is the volume's: neither offered as disk nor counted twice
      m.advance(Duration.ofSeconds(6));
      Offer whileRunning = lastOffer(fw);
      assertThat(whileRunning.getVolumesList()).as("in use, so not offered").isEmpty();
      assertThat(MasterFixture.resources(whileRunning).scalar("disk", "svc")).isZero();
      assertThat(MasterFixture.resources(whileRunning).scalar("disk", "*")).isEqualTo(900);

      // Destroying a volume in use is refused; so is mounting it twice.
      assertThatThrownBy(() -> accept(m, fid, whileRunning, destroy(DATA)))
          .hasMessageContaining("operations[0].destroy.volumes[0]").hasMessageContaining("in use");
      m.decline(fid, whileRunning.getOfferId(), 0);
      m.status(a1, fid, "t1", TaskState.TASK_FINISHED, "u1");
      m.advance(Duration.ofSeconds(6));
      Offer free = lastOffer(fw);
      assertThat(free.getVolumesList()).containsExactly(DATA);
      accept(m, fid, free, launch(mounting("t2", DATA.getPersistenceId()), mounting("t3", DATA.getPersistenceId(),
          "cpus:1;mem:128")));
      assertThat(updates(fw)).filteredOn(s -> s.getTaskId().equals("t3")).singleElement().satisfies(s -> {
        assertThat(s.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(s.getMessage()).contains("in use by another task");
      });

      // A new master reads the volume back from the store.
      try (MasterFixture restarted = new MasterFixture(MasterFixture.CONFIG, store)) {
        FakeLink<MasterMessage> again = restarted.connect(MasterFixture.agentInfo("a1", "cpus:4;mem:1024;disk:1000")
            .toBuilder().setAgentId(id).build(), List.of());
        assertThat(lastVolumesSent(again)).containsExactly(DATA);
      }

      // Ended, the volume is destroyed and its disk unreserved; the agent is told it holds none.
      m.status(a1, fid, "t2", TaskState.TASK_KILLED, "u2");
      m.advance(Duration.ofSeconds(6));
      accept(m, fid, lastOffer(fw), destroy(DATA), unreserve("disk", 100), unreserve("cpus", 1),
          unreserve("mem", 128));
      assertThat(lastVolumesSent(a1)).isEmpty();
      assertThat(store.get(Reservations.ROOT + "/" + id)).isEmpty();
    }
  }

  @Test
  void createNeedsReservedDiskOfTheFrameworksRoleAndAFreshId() {
    try (MasterFixture m = new MasterFixture()) {
      FakeLink<SchedulerEvent> fw = m.framework("svc-fw", "svc");
      String fid = frameworkId(fw);
      m.agent("a1", "cpus:4;mem:1024;disk:1000");
      m.allocate();
      Offer offer = lastOffer(fw);
      assertThatThrownBy(() -> accept(m, fid, offer, create(DATA)))
          .hasMessageContaining("operations[0].create.volumes[0]").hasMessageContaining("reserve it first");
      assertThatThrownBy(() -> accept(m, fid, offer, reserve("disk", 100),
          create(DATA.toBuilder().setRole("other").build())))
          .hasMessageContaining("operations[1].create.volumes[0].role");
      assertThatThrownBy(() -> accept(m, fid, offer, reserve("disk", 100),
          create(DATA.toBuilder().setPersistenceId("../etc").build())))
          .hasMessageContaining("operations[1].create.volumes[0].persistence_id");
      assertThatThrownBy(() -> accept(m, fid, offer, reserve("disk", 200), create(DATA), create(DATA)))
          .hasMessageContaining("operations[2].create.volumes[0].persistence_id: the agent already has");
      assertThatThrownBy(() -> accept(m, fid, offer, reserve("disk", 100), create(DATA), unreserve("disk", 100)))
          .hasMessageContaining("operations[2].unreserve").hasMessageContaining("destroying it");
    }
  }
}

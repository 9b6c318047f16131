package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.VolumeMount;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.Reservation;
import dev.corral.services.placement.RejectReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Apps with persistent volumes (Marathon's resident apps): the first placement reserves and makes the volumes
 * in the launch's call; every later task of the instance goes to the same agent, on the same reservation;
 * scaling down keeps the reservation for a later scale-up; deleting the app destroys and unreserves.
 */
class ResidentAppTest {
  private static final String ROLE = ServicesConfig.DEFAULT_ROLE;
  private static final String APP = """
      {"id": "/db", "cmd": "sleep 1000", "cpus": 0.5, "mem": 64, "disk": 5, "instances": 1,
       "container": {"type": "MESOS", "volumes": [
         {"containerPath": "data", "mode": "RW", "persistent": {"size": 100}}]}}""";

  /** A first offer of the agent: unreserved resources only. */
  private static Offer unreserved(String offerId, String host) {
    return Offers.offer(offerId, host).cpus(4).mem(4096).disk(1000).ports(31000, 31010).build();
  }

  /** Creates the app, places its one instance on host-a and reports its task RUNNING; returns the task id. */
  private static String runningOnHostA(Harness h, String app) {
    h.create(app);
    h.offers(unreserved("o1", "host-a"));
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    h.status(taskId, TaskState.TASK_RUNNING);
    return taskId;
  }

  /** An offer of the agent as the master makes it once the reservation exists and no task uses it. */
  private static Offer reservedOffer(String offerId, Reservation r) {
    Offers o = Offers.offer(offerId, r.host()).cpus(4).mem(4096).disk(1000).ports(31000, 31010);
    r.taskShare().forEach((name, amount) -> o.scalar(name, amount, ROLE));
    r.volumes().forEach(v -> o.volume(v.persistenceId(), ROLE, v.sizeMb()));
    return o.build();
  }

  private static Instance only(Harness h) {
    List<Instance> all = h.instances("/db");
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void theFirstLaunchReservesAndMakesTheVolumeAndEveryLaterTaskReturnsToIt() {
    Harness h = Harness.running();
    h.create(APP);
    h.offers(unreserved("o1", "host-a"));

    List<Operation> ops = h.driver.accepts().get(0);
    assertThat(ops).extracting(op -> op.getKindCase().name()).containsExactly("RESERVE", "CREATE", "LAUNCH");
    assertThat(ops.get(0).getReserve().getResourcesList()).extracting(Resource::getName, Resource::getRole,
        Resource::getScalar).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("cpus", ROLE, 0.5), org.assertj.core.groups.Tuple.tuple("mem", ROLE, 64.0),
            org.assertj.core.groups.Tuple.tuple("disk", ROLE, 105.0));
    String volumeId = ops.get(1).getCreate().getVolumes(0).getPersistenceId();
    assertThat(ops.get(1).getCreate().getVolumes(0).getSizeMb()).isEqualTo(100);
    TaskInfo first = ops.get(2).getLaunch().getTasks(0);
    assertThat(first.getVolumeMountsList()).containsExactly(VolumeMount.newBuilder().setName("data")
        .setMountPath("data").setPersistenceId(volumeId).build());
    assertThat(first.getResourcesList()).filteredOn(r -> !r.getName().equals("ports"))
        .allSatisfy(r -> assertThat(r.getRole()).isEqualTo(ROLE))
        .filteredOn(r -> r.getName().equals("disk")).singleElement()
        .satisfies(r -> assertThat(r.getScalar()).as("the sandbox's disk; the volume has its own").isEqualTo(5));
    Reservation reservation = only(h).reservation();
    assertThat(reservation.agentId()).isEqualTo("agent-host-a");
    assertThat(reservation.volumes()).extracting(Reservation.Volume::persistenceId).containsExactly(volumeId);

    // The task fails: the instance waits for its own agent. Another agent's offer is of no use to it, and its
    // reservation is kept from other apps.
    h.status(first.getTaskId(), TaskState.TASK_RUNNING);
    h.status(first.getTaskId(), TaskState.TASK_FAILED);
    h.clock.advance(Duration.ofSeconds(5));
    h.create("{\"id\": \"/other\", \"cmd\": \"sleep 1\", \"cpus\": 0.5, \"mem\": 64, \"acceptedResourceRoles\": [\""
        + ROLE + "\"]}");
    h.offers(unreserved("o2", "host-b"));
    assertThat(h.driver.launchedTasks()).hasSize(1);
    assertThat(h.view().offerStats("/db").declinedBy(RejectReason.NO_CORRESPONDING_RESERVATION_FOUND)).isEqualTo(1);
    assertThat(h.view().waitingReason("/db")).contains("reservations on other agents");

    h.offers(reservedOffer("o3", reservation));
    TaskInfo second = h.driver.launchedTasks().get(1);
    assertThat(second.getTaskId()).startsWith("db.");
    assertThat(second.getAgentId()).isEqualTo("agent-host-a");
    assertThat(second.getVolumeMounts(0).getPersistenceId()).isEqualTo(volumeId);
    assertThat(h.driver.accepts()).as("no second reservation").hasSize(1);
    assertThat(only(h).reservation()).isEqualTo(reservation);
  }

  @Test
  void scalingDownKeepsTheVolumeForTheNextScaleUpAndDeletingTheAppReleasesIt() {
    Harness h = Harness.running();
    String first = runningOnHostA(h, APP);
    Reservation reservation = only(h).reservation();

    h.update("/db", "{\"instances\": 0}");
    assertThat(h.driver.kills()).extracting(k -> k.taskId()).containsExactly(first);
    h.status(first, TaskState.TASK_KILLED);
    assertThat(only(h).goal()).isEqualTo(Goal.STOPPED);
    assertThat(only(h).task()).isNull();
    assertThat(only(h).reservation()).isEqualTo(reservation);

    h.update("/db", "{\"instances\": 1}");
    assertThat(only(h).goal()).isEqualTo(Goal.RUNNING);
    h.offers(reservedOffer("o2", reservation));
    TaskInfo again = h.driver.launchedTasks().get(1);
    assertThat(again.getVolumeMounts(0).getPersistenceId()).isEqualTo(reservation.volumes().get(0).persistenceId());
    h.status(again.getTaskId(), TaskState.TASK_RUNNING);

    h.delete("/db");
    h.status(again.getTaskId(), TaskState.TASK_KILLED);
    assertThat(only(h).goal()).isEqualTo(Goal.DECOMMISSIONED);
    h.clock.advance(Duration.ofSeconds(5));
    h.offers(reservedOffer("o3", reservation));
    List<Operation> release = h.driver.accepts().get(h.driver.accepts().size() - 1);
    assertThat(release).extracting(op -> op.getKindCase().name()).containsExactly("DESTROY", "UNRESERVE");
    assertThat(release.get(0).getDestroy().getVolumes(0).getPersistenceId())
        .isEqualTo(reservation.volumes().get(0).persistenceId());
    assertThat(release.get(1).getUnreserve().getResourcesList()).extracting(Resource::getName, Resource::getScalar)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cpus", 0.5),
            org.assertj.core.groups.Tuple.tuple("mem", 64.0), org.assertj.core.groups.Tuple.tuple("disk", 105.0));
    assertThat(h.instances("/db")).isEmpty();
  }

  @Test
  void aNewVersionReplacesTheTaskInPlaceOnTheSameVolume() {
    Harness h = Harness.running();
    String first = runningOnHostA(h, APP);
    Instance before = only(h);

    h.update("/db", "{\"cmd\": \"sleep 2000\"}");
    // one instance, no room over capacity: the old task goes first, its instance kept for the new version
    assertThat(h.driver.kills()).extracting(k -> k.taskId()).containsExactly(first);
    h.status(first, TaskState.TASK_KILLED);
    Instance adopted = only(h);
    assertThat(adopted.id()).isEqualTo(before.id());
    assertThat(adopted.isWaiting()).isTrue();
    assertThat(adopted.configVersion()).isNotEqualTo(before.configVersion());

    h.offers(reservedOffer("o2", before.reservation()));
    TaskInfo next = h.driver.launchedTasks().get(1);
    assertThat(next.getCommand().getValue()).isEqualTo("sleep 2000");
    assertThat(next.getVolumeMounts(0).getPersistenceId())
        .isEqualTo(before.reservation().volumes().get(0).persistenceId());
    h.status(next.getTaskId(), TaskState.TASK_RUNNING);
    assertThat(h.view().deployments()).isEmpty();
  }

  @Test
  void anotherAppDoesNotTakeTheResourcesAStoppedInstanceHolds() {
    Harness h = Harness.running();
    String first = runningOnHostA(h, APP);
    Reservation reservation = only(h).reservation();
    h.update("/db", "{\"instances\": 0}");
    h.status(first, TaskState.TASK_KILLED);

    h.create("{\"id\": \"/greedy\", \"cmd\": \"sleep 1\", \"cpus\": 0.5, \"mem\": 64, \"acceptedResourceRoles\": [\""
        + ROLE + "\"]}");
    h.offers(reservedOffer("o2", reservation));
    assertThat(h.driver.launchedTasks()).as("the reservation is the stopped instance's").hasSize(1);
  }

  @Test
  void aPodsContainersShareItsPersistentVolumeAndTheInstanceKeepsIt() throws Exception {
    Harness h = Harness.running();
    h.await(h.scheduler.createPod((com.fasterxml.jackson.databind.node.ObjectNode) dev.corral.common.Json.mapper()
        .readTree("""
        {"id": "/kv", "scaling": {"kind": "fixed", "instances": 1},
         "volumes": [{"name": "store", "persistent": {"type": "root", "size": 100}}],
         "containers": [
           {"name": "server", "resources": {"cpus": 0.2, "mem": 64},
            "exec": {"command": {"shell": "sleep 1000"}},
            "volumeMounts": [{"name": "store", "mountPath": "data"}]},
           {"name": "backup", "resources": {"cpus": 0.1, "mem": 32},
            "exec": {"command": {"shell": "sleep 1000"}},
            "volumeMounts": [{"name": "store", "mountPath": "backup/source"}]}]}"""), false));
    assertThat(h.view().apps().get("/kv").upgradeStrategy().maximumOverCapacity()).isEqualTo(0);
    h.offers(unreserved("o1", "host-a"));

    List<Operation> ops = h.driver.accepts().get(0);
    assertThat(ops).extracting(op -> op.getKindCase().name()).containsExactly("RESERVE", "CREATE", "LAUNCH_GROUP");
    String volumeId = ops.get(1).getCreate().getVolumes(0).getPersistenceId();
    assertThat(ops.get(2).getLaunchGroup().getTaskGroup().getTasksList()).allSatisfy(t -> {
      assertThat(t.getVolumeMountsList()).extracting(VolumeMount::getPersistenceId).containsExactly(volumeId);
      assertThat(t.getResourcesList()).filteredOn(r -> !r.getName().equals("ports"))
          .allSatisfy(r -> assertThat(r.getRole()).isEqualTo(ROLE));
    });
    Instance instance = h.instances("/kv").get(0);
    assertThat(instance.reservation().volumes()).extracting(Reservation.Volume::containerPath).containsExactly("store");

    // killing the instance relaunches it on its volume; with wipe the volume goes and a new instance comes
    h.await(h.scheduler.killPodInstances("/kv", java.util.Set.of(instance.id()), false));
    assertThat(h.driver.kills()).isNotEmpty();
    assertThat(h.instances("/kv")).singleElement().satisfies(i -> assertThat(i.goal()).isEqualTo(Goal.RUNNING));
    h.await(h.scheduler.killPodInstances("/kv", java.util.Set.of(instance.id()), true));
    Instance wiped = h.instances("/kv").get(0);
    assertThat(wiped.goal()).isEqualTo(Goal.DECOMMISSIONED);
    // no room over capacity for a resident pod: the replacement comes once the killed tasks have ended
    wiped.task().containers().forEach(c -> h.status(c.taskId(), TaskState.TASK_KILLED));
    assertThat(h.instances("/kv")).anySatisfy(i -> {
      assertThat(i.id()).isNotEqualTo(instance.id());
      assertThat(i.reservation()).as("new volumes, made at its first launch").isNull();
    });
  }

  @Test
  void anUnhealthyTaskIsKilledAndRelaunchedOnItsOwnVolume() {
    Harness h = Harness.running();
    String first = runningOnHostA(h, APP.replace("\"instances\": 1,", "\"instances\": 1, \"healthChecks\": ["
        + "{\"protocol\": \"COMMAND\", \"command\": {\"value\": \"test -f data/ok\"}, \"maxConsecutiveFailures\": 2}],"));
    Instance before = only(h);
    for (int failures = 1; failures <= 3; failures++) {
      h.send(dev.corral.api.v1.TaskStatus.newBuilder().setTaskId(first).setState(TaskState.TASK_RUNNING)
          .setAgentId("agent-host-a").setReason(dev.corral.api.v1.StatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
          .setUuid("h" + failures).setHasHealth(true).setHealthy(false)
          .addHealthResults(dev.corral.api.v1.HealthCheckResult.newBuilder().setIndex(0).setAlive(false)
              .setConsecutiveFailures(failures).setLastFailureMillis(3_000).setLastFailureCause("exit 1"))
          .build());
    }
    assertThat(h.driver.kills()).extracting(k -> k.taskId()).containsOnly(first);
    assertThat(only(h).goal()).as("the instance stays, with its volume").isEqualTo(Goal.RUNNING);
    h.status(first, TaskState.TASK_KILLED);
    h.clock.advance(Duration.ofSeconds(5));
    h.offers(reservedOffer("o2", before.reservation()));
    assertThat(h.driver.launchedTasks().get(1).getVolumeMounts(0).getPersistenceId())
        .isEqualTo(before.reservation().volumes().get(0).persistenceId());
    assertThat(only(h).id()).isEqualTo(before.id());
  }

  @Test
  void aWaitingResidentInstanceCountsOnItsAgentForConstraints() {
    Harness h = Harness.running();
    String first = runningOnHostA(h,
        APP.replace("\"instances\": 1,", "\"instances\": 1, \"constraints\": [[\"hostname\", \"UNIQUE\"]],"));
    h.status(first, TaskState.TASK_FAILED);
    Reservation reservation = only(h).reservation();
    h.update("/db", "{\"instances\": 2}");
    h.clock.advance(Duration.ofSeconds(5));

    h.offers(reservedOffer("o2", reservation));
    assertThat(h.driver.launchedTasks()).as("the pinned one relaunches; the new one may not join it").hasSize(2);
    assertThat(h.driver.launchedTasks().get(1).getVolumeMounts(0).getPersistenceId())
        .isEqualTo(reservation.volumes().get(0).persistenceId());
    assertThat(h.driver.accepts()).hasSize(1);

    h.offers(unreserved("o3", "host-b"));
    assertThat(h.driver.accepts()).as("the new instance reserves on host-b").hasSize(2);
    assertThat(h.driver.launchedTasks().get(2).getAgentId()).isEqualTo("agent-host-b");
  }

  @Test
  void aLaunchRefusedBeforeTheReservationWasMadeStartsOver() {
    Harness h = Harness.running();
    h.create(APP);
    h.driver.rejectLaunches(true);
    h.offers(unreserved("o1", "host-a"));
    h.loop.runPending();
    assertThat(only(h).isWaiting()).isTrue();
    assertThat(only(h).reservation()).as("never made, so not held").isNull();
  }

  @Test
  void aFirstLaunchTheMasterDroppedUnreadLeavesNoReservationButAFailedOneKeepsIt() {
    Harness h = Harness.running();
    h.create(APP);
    h.offers(unreserved("o1", "host-a"));
    String first = h.driver.launchedTasks().get(0).getTaskId();
    h.status(first, TaskState.TASK_DROPPED, "offer o1 is no longer valid", dev.corral.api.v1.StatusReason.REASON_INVALID_OFFERS);
    assertThat(only(h).isWaiting()).isTrue();
    assertThat(only(h).reservation()).as("the call was not read: nothing reserved").isNull();

    h.clock.advance(Duration.ofSeconds(5));
    h.offers(unreserved("o2", "host-b"));
    String second = h.driver.launchedTasks().get(1).getTaskId();
    h.status(second, TaskState.TASK_FAILED);
    assertThat(only(h).reservation()).as("reserved, then the task failed").isNotNull();
    assertThat(only(h).reservation().agentId()).isEqualTo("agent-host-b");
  }
}

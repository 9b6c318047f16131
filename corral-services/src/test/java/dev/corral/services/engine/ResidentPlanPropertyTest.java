package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.Reservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The planner and the status rules for resident apps (persistent volumes), over random scalings, new versions
 * and task events: a reservation, once made, stays with its instance while the app exists (its data is never
 * dropped by a scale-down or an upgrade), no more reservations are made than the most instances ever asked
 * for, and once the tasks run the app settles.
 */
class ResidentPlanPropertyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Property(tries = 300)
  void reservationsAreKeptAndReusedAndTheAppSettles(@ForAll @IntRange(min = 0, max = 5) int first,
      @ForAll @IntRange(min = 0, max = 4) int floorIndex, @ForAll long seed) {
    Random random = new Random(seed);
    double floor = floorIndex / 4.0;
    Sim sim = new Sim(app(first, 1, floor), random);
    int most = first;
    Set<String> reservedEver = new HashSet<>();
    for (int step = 0; step < 400; step++) {
      int dice = random.nextInt(40);
      if (dice == 0) {
        int target = random.nextInt(6);
        most = Math.max(most, target);
        sim.app = app(target, sim.version, floor);
      } else if (dice == 1) {
        sim.app = app(sim.app.instances(), sim.version + 1, floor);
      }
      sim.plan();
      sim.randomEvent(random.nextInt(8) == 0);
      sim.instances.values().stream().filter(Instance::isResident).forEach(i -> reservedEver.add(i.id()));
      assertThat(sim.instances.keySet()).as("step %d: reservations kept", step).containsAll(reservedEver);
      assertThat(reservedEver.size()).as("step %d: reservations made", step).isLessThanOrEqualTo(most);
    }
    for (int round = 0; round < 2000 && !DeploymentProgress.settled(sim.app, sim.instances.values()); round++) {
      sim.plan();
      sim.randomEvent(false);
    }
    assertThat(DeploymentProgress.settled(sim.app, sim.instances.values())).as("settles").isTrue();
    assertThat(sim.instances.values().stream().filter(i -> i.goal() == Goal.RUNNING)
        .allMatch(i -> i.isResident() && i.reservation().volumes().size() == 1)).isTrue();
  }

  private static AppDefinition app(int instances, int version, double floor) {
    ObjectNode json = Json.mapper().createObjectNode().put("id", "/db").put("cmd", "v" + version)
        .put("instances", instances);
    json.putObject("container").put("type", "MESOS").putArray("volumes").addObject().put("containerPath", "data")
        .put("mode", "RW").putObject("persistent").put("size", 10);
    json.putObject("upgradeStrategy").put("minimumHealthCapacity", floor).put("maximumOverCapacity", 0);
    String v = "v" + version + "-" + instances;
    return AppDefinition.of(AppNormalizer.stamp(json, v, "c" + version, "c" + version));
  }

  /** The app's instances; events move them on as agents and the status rules would. */
  private static final class Sim {
    AppDefinition app;
    int version = 1;
    final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Random random;
    private int next;

    Sim(AppDefinition app, Random random) {
      this.app = app;
      this.random = random;
    }

    void plan() {
      apply(AppPlanner.plan("/db", app, false, false, List.copyOf(instances.values()), T0, () -> "i-" + next++));
    }

    private void apply(List<Effect> effects) {
      for (Effect e : effects) {
        if (e instanceof Effect.PutInstance put) {
          instances.put(put.instance().id(), put.instance());
        } else if (e instanceof Effect.ExpungeInstance gone) {
          instances.remove(gone.instanceId());
        }
      }
    }

    /** One event at random: a launch (reserving on the first), a task running, failing, or a killed one ending. */
    void randomEvent(boolean failure) {
      List<Instance> candidates = new ArrayList<>(instances.values());
      if (candidates.isEmpty()) {
        return;
      }
      Instance i = candidates.get(random.nextInt(candidates.size()));
      if (i.goal() != Goal.RUNNING && i.hasLiveTask()) {
        status(i, TaskState.TASK_KILLED);
      } else if (i.isWaiting() && i.configVersion().equals(app.configVersion())) {
        Instance placed = i.isResident() ? i : i.withReservation(new Reservation("agent-" + i.id(), "host",
            Map.of(), "slave_public", Map.of("disk", 10.0), List.of(new Reservation.Volume(i.id() + "#data#1", "data",
            10)), "t-" + i.id()));
        instances.put(i.id(), placed.moveTo(InstanceState.STAGING, new LaunchedTask("t-" + i.id() + "-" + next++,
            placed.reservation().agentId(), "host", List.of(), Map.of(), app.version(), T0, null,
            TaskState.TASK_STAGING, "")));
      } else if (i.state() == InstanceState.STAGING) {
        status(i, TaskState.TASK_RUNNING);
      } else if (failure && i.state() == InstanceState.RUNNING) {
        status(i, TaskState.TASK_FAILED);
      }
    }

    private void status(Instance i, TaskState state) {
      apply(InstanceStateMachine.onStatus(i, TaskStatus.newBuilder().setTaskId(i.taskId()).setState(state).build(),
          app, T0));
    }
  }
}

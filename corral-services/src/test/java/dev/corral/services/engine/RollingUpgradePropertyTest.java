package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.app.UpgradeStrategy;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The rolling-upgrade rules of {@link AppPlanner}, checked over random apps, strategies and event orders: a
 * kill decided by the planner never takes the serving instances below the floor (except the one documented
 * kill when floor and ceiling leave no room), a launch never takes the live ones above the ceiling, and with
 * a version that runs, the upgrade always finishes.
 */
class RollingUpgradePropertyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final double[] FRACTIONS = {0, 0.25, 0.5, 0.75, 1};

  @Property(tries = 300)
  void neverBelowTheFloorNeverAboveTheCeilingAndAlwaysFinishes(@ForAll @IntRange(min = 1, max = 8) int oldCount,
      @ForAll @IntRange(min = 0, max = 8) int target, @ForAll @IntRange(min = 0, max = 4) int floorIndex,
      @ForAll @IntRange(min = 0, max = 4) int overIndex, @ForAll long seed) {
    UpgradeStrategy strategy = new UpgradeStrategy(FRACTIONS[floorIndex], FRACTIONS[overIndex]);
    AppDefinition app = app(target, strategy);
    Sim sim = new Sim(app, new Random(seed));
    for (int i = 0; i < oldCount; i++) {
      sim.put(running("old-" + i, "v1"));
    }
    int minHealthy = strategy.minHealthy(target);
    int maxCapacity = strategy.maxCapacity(target);
    for (int round = 0; round < 5000 && !sim.done(); round++) {
      int servingBefore = sim.serving();
      int liveBefore = sim.occupying();
      int kills = sim.plan();
      int servingAfter = sim.serving();
      boolean makeRoom = kills == 1 && servingAfter == servingBefore - 1;
      assertThat(servingAfter >= Math.min(servingBefore, minHealthy) || makeRoom)
          .as("round %d: serving %d → %d, floor %d", round, servingBefore, servingAfter, minHealthy).isTrue();
      assertThat(sim.occupying()).as("round %d: occupying, ceiling %d", round, maxCapacity)
          .isLessThanOrEqualTo(Math.max(maxCapacity, liveBefore));
      sim.randomEvent();
    }
    assertThat(sim.done()).as("the upgrade finishes").isTrue();
  }

  @Property(tries = 300)
  void aVersionThatNeverRunsNeverTakesTheOldOnesBelowTheFloor(@ForAll @IntRange(min = 1, max = 8) int oldCount,
      @ForAll @IntRange(min = 1, max = 8) int target, @ForAll @IntRange(min = 0, max = 4) int floorIndex,
      @ForAll @IntRange(min = 0, max = 4) int overIndex, @ForAll long seed) {
    UpgradeStrategy strategy = new UpgradeStrategy(FRACTIONS[floorIndex], FRACTIONS[overIndex]);
    Sim sim = new Sim(app(target, strategy), new Random(seed));
    sim.failing = true;
    for (int i = 0; i < oldCount; i++) {
      sim.put(running("old-" + i, "v1"));
    }
    int minHealthy = strategy.minHealthy(target);
    boolean noRoom = minHealthy >= strategy.maxCapacity(target);
    int floor = Math.min(oldCount, noRoom ? minHealthy - 1 : minHealthy);
    for (int round = 0; round < 200; round++) {
      sim.plan();
      assertThat(sim.serving()).as("round %d: old instances still serving", round).isGreaterThanOrEqualTo(floor);
      sim.randomEvent();
    }
    assertThat(sim.done()).isFalse();
  }

  private static AppDefinition app(int instances, UpgradeStrategy s) {
    ObjectNode json = Json.mapper().createObjectNode().put("id", "/a").put("cmd", "v2").put("instances", instances);
    json.putObject("upgradeStrategy").put("minimumHealthCapacity", s.minimumHealthCapacity())
        .put("maximumOverCapacity", s.maximumOverCapacity());
    return AppDefinition.of(AppNormalizer.stamp(json, "v2", "v2", "v2"));
  }

  private static Instance running(String id, String configVersion) {
    return new Instance(id, "/a", configVersion, Goal.RUNNING, InstanceState.RUNNING, T0, task(id, TaskState.TASK_RUNNING));
  }

  private static LaunchedTask task(String id, TaskState state) {
    return new LaunchedTask("task-" + id, "agent", "host", List.of(), Map.of(), "v", T0,
        state == TaskState.TASK_RUNNING ? T0 : null, state, "");
  }

  /** The app's instances and what the planner asked for; events move them on like agents would. */
  private static final class Sim {
    private final AppDefinition app;
    private final Random random;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private int next;
    /** Whether new tasks fail instead of reaching RUNNING (and are relaunched, as the state machine does). */
    boolean failing;

    Sim(AppDefinition app, Random random) {
      this.app = app;
      this.random = random;
    }

    void put(Instance i) {
      instances.put(i.id(), i);
    }

    /** Applies one planner round; returns how many kills it asked for. */
    int plan() {
      List<Effect> effects = AppPlanner.plan("/a", app, false, false, List.copyOf(instances.values()), T0,
          () -> "new-" + next++);
      int kills = 0;
      for (Effect e : effects) {
        if (e instanceof Effect.PutInstance put) {
          put(put.instance());
        } else if (e instanceof Effect.ExpungeInstance gone) {
          instances.remove(gone.instanceId());
        } else if (e instanceof Effect.Kill) {
          kills++;
        }
      }
      return kills;
    }

    /** One agent-side event at random: a launch, a task reaching RUNNING, or a killed task ending. */
    void randomEvent() {
      List<Instance> candidates = new ArrayList<>(instances.values());
      if (candidates.isEmpty()) {
        return;
      }
      Instance i = candidates.get(random.nextInt(candidates.size()));
      if (i.goal() == Goal.DECOMMISSIONED && i.hasLiveTask()) {
        put(i.moveTo(InstanceState.KILLED, i.task().withStatus(TaskState.TASK_KILLED, "", T0)));
      } else if (i.state() == InstanceState.SCHEDULED) {
        put(i.moveTo(InstanceState.STAGING, task(i.id(), TaskState.TASK_STAGING)));
      } else if (i.state() == InstanceState.STAGING && failing) {
        put(i.moveTo(InstanceState.FAILED, task(i.id(), TaskState.TASK_FAILED)).moveTo(InstanceState.SCHEDULED, null));
      } else if (i.state() == InstanceState.STAGING) {
        put(i.moveTo(InstanceState.RUNNING, task(i.id(), TaskState.TASK_RUNNING)));
      }
    }

    int serving() {
      int n = 0;
      for (Instance i : instances.values()) {
        if (i.goal() == Goal.RUNNING && i.state() == InstanceState.RUNNING) {
          n++;
        }
      }
      return n;
    }

    /** Instances that hold or will hold resources: live tasks (killed or not) and instances waiting to launch. */
    int occupying() {
      int n = 0;
      for (Instance i : instances.values()) {
        if (i.hasLiveTask() || (i.goal() == Goal.RUNNING && i.state() == InstanceState.SCHEDULED)) {
          n++;
        }
      }
      return n;
    }

    boolean done() {
      return DeploymentProgress.settled(app, instances.values());
    }
  }
}

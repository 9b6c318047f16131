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
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Draining an agent through {@link AppPlanner}: instances of the current config on the draining agent are
 * replaced on other agents by the upgrade strategy's rules, so the serving count never drops below the floor
 * (except the one kill that makes room when floor and ceiling leave none), and in the end no instance is left
 * on the drained agent while the app has its full count elsewhere.
 */
class DrainPropertyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final double[] FRACTIONS = {0, 0.25, 0.5, 0.75, 1};
  private static final String DRAINED = "agent-drained";

  @Property(tries = 300)
  void instancesLeaveTheDrainingAgentNeverBelowTheFloor(@ForAll @IntRange(min = 1, max = 8) int onDrained,
      @ForAll @IntRange(min = 0, max = 4) int elsewhere, @ForAll @IntRange(min = 0, max = 4) int floorIndex,
      @ForAll @IntRange(min = 0, max = 4) int overIndex, @ForAll long seed) {
    int target = onDrained + elsewhere;
    UpgradeStrategy strategy = new UpgradeStrategy(FRACTIONS[floorIndex], FRACTIONS[overIndex]);
    AppDefinition app = app(target, strategy);
    Map<String, Instance> instances = new LinkedHashMap<>();
    for (int i = 0; i < target; i++) {
      String id = "i-" + i;
      instances.put(id, new Instance(id, "/a", app.configVersion(), Goal.RUNNING, InstanceState.RUNNING, T0,
          task(id, i < onDrained ? DRAINED : "agent-other", TaskState.TASK_RUNNING)));
    }
    Random random = new Random(seed);
    int minHealthy = strategy.minHealthy(target);
    int[] next = {0};
    boolean done = false;
    for (int round = 0; round < 5000 && !done; round++) {
      int servingBefore = serving(instances);
      int kills = 0;
      for (Effect e : AppPlanner.plan("/a", app, false, false, List.copyOf(instances.values()), T0,
          () -> "new-" + next[0]++, Set.of(DRAINED))) {
        if (e instanceof Effect.PutInstance put) {
          instances.put(put.instance().id(), put.instance());
        } else if (e instanceof Effect.ExpungeInstance gone) {
          instances.remove(gone.instanceId());
        } else if (e instanceof Effect.Kill) {
          kills++;
        }
      }
      int servingAfter = serving(instances);
      boolean makeRoom = kills == 1 && servingAfter == servingBefore - 1;
      assertThat(servingAfter >= Math.min(servingBefore, minHealthy) || makeRoom)
          .as("round %d: serving %d → %d, floor %d", round, servingBefore, servingAfter, minHealthy).isTrue();
      done = instances.values().stream().noneMatch(i -> i.task() != null && i.task().agentId().equals(DRAINED))
          && serving(instances) == target && instances.size() == target;
      step(instances, random);
    }
    assertThat(done).as("the drain finishes with %d instances elsewhere", target).isTrue();
  }

  /** One agent-side event: a new instance launches elsewhere, starts running, or a killed task ends. */
  private static void step(Map<String, Instance> instances, Random random) {
    List<Instance> candidates = new ArrayList<>(instances.values());
    if (candidates.isEmpty()) {
      return;
    }
    Instance i = candidates.get(random.nextInt(candidates.size()));
    if (i.goal() == Goal.DECOMMISSIONED && i.hasLiveTask()) {
      instances.put(i.id(), i.moveTo(InstanceState.KILLED, i.task().withStatus(TaskState.TASK_KILLED, "", T0)));
    } else if (i.state() == InstanceState.SCHEDULED) {
      instances.put(i.id(), i.moveTo(InstanceState.STAGING, task(i.id(), "agent-other", TaskState.TASK_STAGING)));
    } else if (i.state() == InstanceState.STAGING) {
      instances.put(i.id(), i.moveTo(InstanceState.RUNNING, task(i.id(), "agent-other", TaskState.TASK_RUNNING)));
    }
  }

  private static int serving(Map<String, Instance> instances) {
    int n = 0;
    for (Instance i : instances.values()) {
      n += i.goal() == Goal.RUNNING && i.state() == InstanceState.RUNNING ? 1 : 0;
    }
    return n;
  }

  private static AppDefinition app(int instances, UpgradeStrategy s) {
    ObjectNode json = Json.mapper().createObjectNode().put("id", "/a").put("cmd", "c").put("instances", instances);
    json.putObject("upgradeStrategy").put("minimumHealthCapacity", s.minimumHealthCapacity())
        .put("maximumOverCapacity", s.maximumOverCapacity());
    return AppDefinition.of(AppNormalizer.stamp(json, "v1", "v1", "v1"));
  }

  private static LaunchedTask task(String id, String agentId, TaskState state) {
    return new LaunchedTask("task-" + id, agentId, "host", List.of(), Map.of(), "v", T0,
        state == TaskState.TASK_RUNNING ? T0 : null, state, "");
  }
}

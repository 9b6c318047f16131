package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model's indexes follow its primary maps through every change. */
class ServiceModelTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final ServiceModel model = new ServiceModel();

  private static LaunchedTask task(String id) {
    return new LaunchedTask(id, "agent-1", "host-1", List.of(), Map.of(), "v1", T, null, TaskState.TASK_STAGING, "");
  }

  private static AppDefinition app(String id, String version, int... ports) {
    ObjectNode json = Json.mapper().createObjectNode().put("id", id).put("cmd", "sleep 1").put("version", version);
    var defs = json.putArray("portDefinitions");
    for (int p : ports) {
      defs.addObject().put("port", p).put("protocol", "tcp");
    }
    return AppDefinition.of(json);
  }

  @Test
  void waitingAndRunningCountsFollowEveryInstanceChange() {
    Instance a = Instance.scheduled("a", "/app", "v1", T);
    Instance b = Instance.scheduled("b", "/app", "v1", T);
    model.putInstance(a);
    model.putInstance(b);
    assertThat(model.waitingCount("/app", "v1")).isEqualTo(2);
    assertThat(model.appIdsWithWaiting()).containsExactly("/app");

    Instance aRunning = a.moveTo(InstanceState.STAGING, task("t-a")).moveTo(InstanceState.RUNNING, task("t-a"));
    model.putInstance(aRunning);
    assertThat(model.waitingCount("/app", "v1")).isEqualTo(1);
    assertThat(model.runningWantedCount("/app", "v1")).isEqualTo(1);

    model.putInstance(aRunning.withGoal(Goal.DECOMMISSIONED));
    assertThat(model.runningWantedCount("/app", "v1")).isZero();

    model.removeInstance("b");
    model.removeInstance("a");
    assertThat(model.waitingCount("/app", "v1")).isZero();
    assertThat(model.appIdsWithWaiting()).isEmpty();
    assertThat(model.instanceCount("/app")).isZero();
  }

  @Test
  void countsAreKeptPerConfigVersion() {
    model.putInstance(Instance.scheduled("a", "/app", "v1", T));
    model.putInstance(Instance.scheduled("b", "/app", "v2", T));

    assertThat(model.waitingCount("/app", "v1")).isEqualTo(1);
    assertThat(model.waitingCount("/app", "v2")).isEqualTo(1);
    assertThat(model.waitingCount("/app", "v3")).isZero();
  }

  @Test
  void instanceListsAreSharedUntilTheAppsInstancesChange() {
    model.putInstance(Instance.scheduled("a", "/app", "v1", T));
    List<Instance> first = model.instanceList("/app");
    assertThat(model.instanceList("/app")).isSameAs(first);

    model.putInstance(Instance.scheduled("b", "/app", "v1", T));

    assertThat(model.instanceList("/app")).extracting(Instance::id).containsExactly("a", "b");
    assertThat(first).extracting(Instance::id).containsExactly("a");
  }

  @Test
  void versionListsFollowNewAndDroppedVersions() {
    model.putApp(app("/app", "2026-01-01T00:00:00.000Z"));
    List<String> first = model.versionList("/app");
    model.putApp(app("/app", "2026-01-02T00:00:00.000Z"));
    assertThat(model.versionList("/app")).hasSize(2);
    assertThat(first).hasSize(1);

    model.dropVersion("/app", "2026-01-01T00:00:00.000Z");

    assertThat(model.versionList("/app")).containsExactly("2026-01-02T00:00:00.000Z");
  }

  @Test
  void servicePortsTakenAreOtherAppsPortsAndFollowUpdatesAndRemovals() {
    model.putApp(app("/a", "v1", 10000, 10001));
    model.putApp(app("/b", "v1", 10002));

    assertThat(model.servicePortsTakenOutside(Set.of("/a"))).containsExactlyInAnyOrder(10002);
    assertThat(model.servicePortsTakenOutside(Set.of("/c"))).containsExactlyInAnyOrder(10000, 10001, 10002);
    assertThat(model.servicePortsTakenOutside(Set.of("/c")).contains(10001)).isTrue();

    model.putApp(app("/a", "v2", 10005));
    assertThat(model.servicePortsTakenOutside(Set.of("/b"))).containsExactlyInAnyOrder(10005);
    model.removeApp("/a");
    assertThat(model.servicePortsTakenOutside(Set.of("/b"))).isEmpty();
  }

  @Test
  void portsClaimedByTheCommandCountAsTakenAndAppsBeingChangedDoNot() {
    model.putApp(app("/a", "v1", 10000));
    model.putApp(app("/b", "v1", 10001));
    Set<Integer> taken = model.servicePortsTakenOutside(Set.of("/a", "/b"));
    assertThat(taken).isEmpty();
    assertThat(taken.add(10000)).isTrue();
    assertThat(taken.add(10000)).isFalse();
    assertThat(taken).containsExactly(10000);
    assertThat(model.servicePortsTakenOutside(Set.of("/a")).contains(10001)).isTrue();
  }
}

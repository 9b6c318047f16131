package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.common.FakeClock;
import dev.corral.services.engine.CommandException;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Deployments: plans, rolling upgrades within the strategy, locks, rollback, and resuming after a restart. */
class DeploymentTest {

  private static List<String> running(Harness h, String appId) {
    return h.instances(appId).stream().filter(i -> i.goal() == Goal.RUNNING && i.state() == InstanceState.RUNNING)
        .map(Instance::taskId).toList();
  }

  private static long serving(Harness h, String appId) {
    return h.instances(appId).stream().filter(i -> i.state() == InstanceState.RUNNING).count();
  }

  private static List<String> fourRunning(Harness h, String strategy) {
    h.create("{\"id\": \"/a\", \"cmd\": \"v1\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 4, \"upgradeStrategy\": "
        + strategy + "}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    assertThat(h.view().deployments()).as("the start is done").isEmpty();
    return running(h, "/a");
  }

  /** Ends the tasks we were asked to kill, launches and runs what waits; returns how many kills that was. */
  private static int settleKillsAndLaunches(Harness h, int round) {
    int kills = 0;
    for (Instance i : h.instances("/a")) {
      if (i.goal() == Goal.DECOMMISSIONED && i.hasLiveTask()) {
        h.status(i.taskId(), TaskState.TASK_KILLED);
        kills++;
      }
    }
    h.offers(Offers.big("o-" + round, "host-b"));
    return kills;
  }

  @Test
  void aRollingUpgradeNeverGoesBelowTheHealthFloorNorAboveCapacity() {
    Harness h = Harness.running();
    Set<String> old = Set.copyOf(fourRunning(h, "{\"minimumHealthCapacity\": 0.5, \"maximumOverCapacity\": 0}"));

    h.update("/a", "{\"cmd\": \"v2\"}");
    // Floor 2 of 4, ceiling 4: two old tasks may go at once, no new one may start before they are gone.
    assertThat(h.driver.kills()).hasSize(2).allMatch(k -> old.contains(k.taskId()));
    assertThat(h.view().waiting("/a")).isEmpty();
    assertThat(serving(h, "/a")).isEqualTo(4);

    for (int round = 0; round < 10 && !h.view().deployments().isEmpty(); round++) {
      settleKillsAndLaunches(h, round);
      long live = h.instances("/a").stream().filter(Instance::hasLiveTask).count();
      assertThat(live).as("never above 4 live tasks").isLessThanOrEqualTo(4);
      long runningNow = h.instances("/a").stream()
          .filter(i -> i.state() == InstanceState.RUNNING && i.goal() == Goal.RUNNING).count();
      h.runAll();
      assertThat(runningNow).as("never below 2 running").isGreaterThanOrEqualTo(2);
    }
    assertThat(h.view().deployments()).as("the upgrade finished").isEmpty();
    assertThat(h.instances("/a")).hasSize(4).allMatch(i -> !old.contains(i.taskId()));
    assertThat(h.driver.launchedTasks().subList(4, 8)).allMatch(t -> t.getCommand().getValue().equals("v2"));
  }

  @Test
  void aNewVersionThatNeverRunsKeepsTheOldOnesAtTheFloor() {
    Harness h = Harness.running();
    Set<String> old = Set.copyOf(fourRunning(h, "{\"minimumHealthCapacity\": 0.75, \"maximumOverCapacity\": 0}"));
    h.update("/a", "{\"cmd\": \"broken\"}");
    for (int round = 0; round < 6; round++) {
      settleKillsAndLaunches(h, round);
      // The new tasks fail as soon as they are launched.
      for (Instance i : h.instances("/a")) {
        if (i.task() != null && !old.contains(i.taskId()) && i.task().lastState() == TaskState.TASK_STAGING) {
          h.status(i.taskId(), TaskState.TASK_FAILED);
        }
      }
      h.clock.advance(java.time.Duration.ofHours(2));
      h.loop.runPending();
      assertThat(running(h, "/a")).as("old instances never below ceil(4 × 0.75)").hasSizeGreaterThanOrEqualTo(3);
    }
    assertThat(h.view().deployments()).hasSize(1);
  }

  @Test
  void withFloorOneAndNoRoomOneOldInstanceGoesFirstAsInMarathon() {
    Harness h = Harness.running();
    fourRunning(h, "{\"minimumHealthCapacity\": 1, \"maximumOverCapacity\": 0}");
    h.update("/a", "{\"cmd\": \"v2\"}");
    assertThat(h.driver.kills()).hasSize(1);
    settleKillsAndLaunches(h, 0);
    assertThat(h.driver.launches()).hasSize(2);
    h.runAll();
    assertThat(h.driver.kills()).as("the next old one goes once the new one runs").hasSize(2);
  }

  @Test
  void aLockedAppRefusesChangesUntilForced() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}");
    String first = h.view().deploymentOf("/a").id();
    assertThatThrownBy(() -> h.update("/a", "{\"instances\": 3}"))
        .isInstanceOfSatisfying(CommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(CommandException.Kind.LOCKED);
          assertThat(e.deploymentIds()).containsExactly(first);
        });
    assertThat(h.view().apps().get("/a").instances()).as("the refused change changed nothing").isEqualTo(2);

    h.await(h.scheduler.updateApp("/a", Harness.object("{\"instances\": 3}"), true, true, null));
    assertThat(h.view().deployments()).hasSize(1).doesNotContainKey(first);
    assertThat(h.store.children(ServicePaths.DEPLOYMENTS)).hasSize(1);
  }

  @Test
  void rollbackRestoresTheFormerVersionAndKeepsItsRunningInstances() {
    Harness h = Harness.running();
    List<String> old = fourRunning(h, "{\"minimumHealthCapacity\": 1, \"maximumOverCapacity\": 1}");
    h.update("/a", "{\"cmd\": \"v2\"}");
    String deployment = h.view().deploymentOf("/a").id();
    h.offers(Offers.big("o2", "host-b"));
    assertThat(h.driver.launchedTasks()).hasSize(8);

    var rollback = h.await(h.scheduler.stopDeployment(deployment, false));
    assertThat(rollback.deploymentId()).isNotEqualTo(deployment);
    assertThat(h.view().apps().get("/a").cmd()).isEqualTo("v1");
    Set<String> killed = h.driver.kills().stream().map(k -> k.taskId()).collect(Collectors.toSet());
    Set<String> fresh = h.driver.launchedTasks().subList(4, 8).stream().map(TaskInfo::getTaskId)
        .collect(Collectors.toSet());
    assertThat(killed).as("the new version's tasks go").isEqualTo(fresh);
    assertThat(running(h, "/a")).as("the old tasks stay").containsExactlyInAnyOrderElementsOf(old);
    killed.forEach(t -> h.status(t, TaskState.TASK_KILLED));
    assertThat(h.view().deployments()).isEmpty();
  }

  @Test
  void forceStopOnlyForgetsTheDeployment() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}");
    String id = h.view().deploymentOf("/a").id();
    assertThat(h.await(h.scheduler.stopDeployment(id, true))).isNull();
    assertThat(h.view().deployments()).isEmpty();
    assertThat(h.view().apps()).containsKey("/a");
    assertThatThrownBy(() -> h.await(h.scheduler.stopDeployment(id, true)))
        .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.kind()).isEqualTo(CommandException.Kind.NOT_FOUND));
  }

  @Test
  void dependenciesOrderTheStepsAndHoldTheDependentApp() {
    Harness h = Harness.running();
    h.await(h.scheduler.createGroup(null, Harness.object("""
        {"id": "/shop", "apps": [
          {"id": "web", "cmd": "web", "cpus": 0.1, "mem": 16, "dependencies": ["db"]},
          {"id": "db", "cmd": "db", "cpus": 0.1, "mem": 16}]}"""), false));
    Deployment d = h.view().deploymentOf("/shop/web");
    assertThat(d.steps()).extracting(s -> s.actions().stream().map(a -> a.action() + " " + a.appId()).toList())
        .containsExactly(List.of("StartApplication /shop/db", "StartApplication /shop/web"),
            List.of("ScaleApplication /shop/db"), List.of("ScaleApplication /shop/web"));
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launchedTasks()).extracting(t -> t.getCommand().getValue()).containsExactly("db");
    h.runAll();
    h.offers(Offers.big("o2", "host-a"));
    assertThat(h.driver.launchedTasks()).extracting(t -> t.getCommand().getValue()).containsExactly("db", "web");
    h.runAll();
    assertThat(h.view().deployments()).isEmpty();
  }

  @Test
  void aDependencyCycleIsRefused() {
    Harness h = Harness.running();
    assertThatThrownBy(() -> h.await(h.scheduler.createGroup(null, Harness.object("""
        {"id": "/c", "apps": [
          {"id": "a", "cmd": "a", "dependencies": ["b"]},
          {"id": "b", "cmd": "b", "dependencies": ["/c/a"]}]}"""), false)))
        .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.violations().get(0).error())
            .startsWith("dependency cycle: "));
    assertThat(h.view().apps()).isEmpty();
  }

  @Test
  void aDeploymentResumesAtItsStepAfterARestart() {
    Harness h = Harness.running();
    h.await(h.scheduler.createGroup(null, Harness.object("""
        {"id": "/shop", "apps": [
          {"id": "web", "cmd": "web", "cpus": 0.1, "mem": 16, "dependencies": ["db"]},
          {"id": "db", "cmd": "db", "cpus": 0.1, "mem": 16}]}"""), false));
    h.offers(Offers.big("o1", "host-a"));
    String id = h.view().deploymentOf("/shop/web").id();
    h.scheduler.close();

    Harness again = new Harness(h.store, new FakeClock());
    again.scheduler.start();
    again.loop.runPending();
    again.subscribe("fw-1");
    Deployment d = again.view().deployments().get(id);
    assertThat(d).isNotNull();
    assertThat(d.currentStep()).isEqualTo(1);
    assertThat(d.holds("/shop/web")).isTrue();
    assertThat(again.view().waiting("/shop/web")).isEmpty();
  }

  @Test
  void groupsScaleAndDeleteAsOneDeployment() {
    Harness h = Harness.running();
    h.await(h.scheduler.createGroup(null, Harness.object("""
        {"id": "/g", "apps": [{"id": "a", "cmd": "a", "cpus": 0.1, "mem": 16, "instances": 2}],
         "groups": [{"id": "/g/sub", "apps": [{"id": "b", "cmd": "b", "cpus": 0.1, "mem": 16}]}]}"""), false));
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    h.await(h.scheduler.updateGroup("/g", Harness.object("{\"scaleBy\": 1.5}"), false, false));
    assertThat(h.view().apps().get("/g/a").instances()).isEqualTo(3);
    assertThat(h.view().apps().get("/g/sub/b").instances()).isEqualTo(2);
    h.await(h.scheduler.deleteGroup("/g", true));
    assertThat(h.view().apps()).isEmpty();
    assertThat(h.view().groups()).isEmpty();
  }
}

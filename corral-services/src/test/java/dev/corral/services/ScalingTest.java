package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScalingTest {

  /** Three instances launched one minute apart (so their ages differ) and running; returns task ids oldest first. */
  private static List<String> threeRunning(Harness h, String killSelection) {
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 1, \"mem\": 16, \"instances\": 3,"
        + " \"killSelection\": \"" + killSelection + "\"}");
    for (int n = 0; n < 3; n++) {
      h.offers(Offers.offer("o" + n, "host-" + n).cpus(1).mem(1024).ports(31000, 31010).build());
      h.clock.advance(Duration.ofMinutes(1));
    }
    h.runAll();
    List<String> tasks = h.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();
    assertThat(tasks).hasSize(3);
    return tasks;
  }

  @Test
  void scalingDownKillsTheYoungestFirstAndScalingUpQueuesNewInstances() {
    Harness h = Harness.running();
    List<String> tasks = threeRunning(h, "YOUNGEST_FIRST");

    h.update("/a", "{\"instances\": 1}");
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactlyInAnyOrder(tasks.get(1), tasks.get(2));
    assertThat(h.instances("/a")).filteredOn(i -> i.goal() == Goal.RUNNING).extracting(Instance::taskId)
        .containsExactly(tasks.get(0));

    h.status(tasks.get(1), TaskState.TASK_KILLED);
    h.status(tasks.get(2), TaskState.TASK_KILLED);
    assertThat(h.instances("/a")).hasSize(1);
    assertThat(h.store.children(ServicePaths.INSTANCES)).hasSize(1);
    assertThat(h.view().failures()).as("a kill we asked for is no failure").isEmpty();

    h.update("/a", "{\"instances\": 2}");
    assertThat(h.view().waiting("/a")).hasSize(1);
    assertThat(h.driver.revives()).isPositive();
  }

  @Test
  void oldestFirstKillsTheOldest() {
    Harness h = Harness.running();
    List<String> tasks = threeRunning(h, "OLDEST_FIRST");
    h.update("/a", "{\"instances\": 2}");
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(tasks.get(0));
  }

  @Test
  void scalingAloneKeepsTheTasksButAChangedCommandReplacesThemOnceNewOnesRun() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"v1\", \"cpus\": 1, \"mem\": 16, \"instances\": 2}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    Set<String> oldTasks = h.driver.launchedTasks().stream().map(TaskInfo::getTaskId).collect(Collectors.toSet());

    h.update("/a", "{\"cmd\": \"v2\"}");
    assertThat(h.driver.kills()).as("old tasks keep serving until new ones run").isEmpty();
    assertThat(h.view().waiting("/a")).hasSize(2);
    assertThat(h.view().deploymentOf("/a").currentActions()).extracting(a -> a.action().name())
        .containsExactly("RestartApplication");

    h.offers(Offers.big("o2", "host-b"));
    List<TaskInfo> newTasks = h.driver.launchedTasks().subList(2, 4);
    assertThat(newTasks).allMatch(t -> t.getCommand().getValue().equals("v2"));

    h.status(newTasks.get(0).getTaskId(), TaskState.TASK_RUNNING);
    assertThat(h.driver.kills()).hasSize(1).allMatch(k -> oldTasks.contains(k.taskId()));
    h.status(newTasks.get(1).getTaskId(), TaskState.TASK_RUNNING);
    assertThat(h.driver.kills()).hasSize(2).allMatch(k -> oldTasks.contains(k.taskId()));
    h.driver.kills().forEach(k -> h.status(k.taskId(), TaskState.TASK_KILLED));
    assertThat(h.instances("/a")).hasSize(2).allMatch(i -> i.state() == InstanceState.RUNNING);
    assertThat(h.view().deployments()).as("the deployment is done").isEmpty();
  }

  @Test
  void deletingATaskWithScaleShrinksTheAppWithoutScaleReplacesIt() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 2}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    List<String> tasks = h.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();

    h.killTask("/a", tasks.get(0), false);
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactly(tasks.get(0));
    assertThat(h.view().apps().get("/a").instances()).isEqualTo(2);
    assertThat(h.view().waiting("/a")).as("a replacement").hasSize(1);

    h.killTask("/a", tasks.get(1), true);
    assertThat(h.view().apps().get("/a").instances()).isEqualTo(1);
    assertThat(h.view().waiting("/a")).as("no replacement for the scaled-away task").hasSize(1);
  }

  @Test
  void deletingAnAppKillsAllItsTasksAndForgetsItsInstancesAsTheyEnd() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 2}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    List<String> tasks = h.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();

    h.delete("/a");
    assertThat(h.view().apps()).isEmpty();
    assertThat(h.store.get(ServicePaths.app("/a"))).isEmpty();
    assertThat(h.store.children(ServicePaths.appVersions("/a"))).isEmpty();
    assertThat(h.driver.kills()).extracting(FakeDriver.Kill::taskId).containsExactlyInAnyOrderElementsOf(tasks);
    assertThat(h.store.children(ServicePaths.INSTANCES)).as("kept until the kills complete").hasSize(2);

    h.status(tasks.get(0), TaskState.TASK_KILLED);
    h.status(tasks.get(1), TaskState.TASK_KILLED);
    assertThat(h.instances()).isEmpty();
    assertThat(h.store.children(ServicePaths.INSTANCES)).isEmpty();
    assertThat(h.view().deployments()).isEmpty();
  }

  @Test
  void aKillThatIsNotAnsweredIsRepeated() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    h.delete("/a");
    assertThat(h.driver.kills()).hasSize(1);
    h.loop.advance(Duration.ofSeconds(31));
    assertThat(h.driver.kills()).hasSize(2);
  }

  @Test
  void anAppWithAnImageLaunchesATaskThatNamesIt() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/img", "cpus": 0.1, "mem": 16,
         "container": {"type": "DOCKER", "docker": {"image": "127.0.0.1:5000/tiny:1", "forcePullImage": true}}}""");
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launchedTasks()).singleElement().satisfies(t -> {
      assertThat(t.getContainer().getImage()).isEqualTo("127.0.0.1:5000/tiny:1");
      assertThat(t.getContainer().getForcePull()).isTrue();
      assertThat(t.getCommand().getValue()).isEmpty(); // the image's entrypoint and cmd run
    });
  }

  @Test
  void anAppWithAnUnsupportedFieldIsStoredButWaitsAndSaysWhy() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/docker", "cmd": "x", "cpus": 0.1, "mem": 16,
         "container": {"type": "DOCKER", "docker": {"image": "nginx", "parameters": [{"key": "a", "value": "b"}]}}}""");
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launches()).isEmpty();
    assertThat(h.view().waitingReason("/docker"))
        .isEqualTo("container.docker.parameters a (of the docker run options only env, label, user, hostname, workdir,"
            + " cap-add, cap-drop, ulimit, shm-size apply) is not supported yet; the app waits until it is"
            + " (see corral-services/README.md)");
    assertThat(h.driver.declines()).singleElement().satisfies(d -> assertThat(d.refuseSeconds()).isEqualTo(120.0));
  }
}

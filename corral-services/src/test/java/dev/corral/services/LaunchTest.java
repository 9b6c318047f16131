package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.scheduler.FakeDriver;
import dev.corral.services.engine.Engine;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.InstanceState;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LaunchTest {

  @Test
  void anOfferLaunchesATaskWithMarathonsTaskInfo() {
    Harness h = Harness.running();
    String version = h.create("""
        {"id": "/prod/web", "cmd": "python -m http.server $PORT0", "cpus": 0.5, "mem": 64,
         "env": {"FOO": "bar"}, "labels": {"team": "a"},
         "portDefinitions": [{"port": 0, "name": "http"}, {"port": 0}],
         "taskKillGracePeriodSeconds": 7}""").version();

    h.offers(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build());

    assertThat(h.driver.launches()).hasSize(1);
    FakeDriver.Launch launch = h.driver.launches().get(0);
    assertThat(launch.offerIds()).containsExactly("o1");
    assertThat(launch.refuseSeconds()).isEqualTo(120.0);
    TaskInfo task = launch.tasks().get(0);
    assertThat(task.getTaskId()).startsWith("prod_web.");
    assertThat(task.getName()).isEqualTo("/prod/web");
    assertThat(task.getAgentId()).isEqualTo("agent-host-a");
    assertThat(task.getCommand().getShell()).isTrue();
    assertThat(task.getCommand().getValue()).isEqualTo("python -m http.server $PORT0");
    assertThat(task.getKillGracePeriodSeconds()).isEqualTo(7.0);

    Map<String, String> env = task.getCommand().getEnvironmentMap();
    int port0 = Integer.parseInt(env.get("PORT0"));
    int port1 = Integer.parseInt(env.get("PORT1"));
    assertThat(port0).isBetween(31000, 31005);
    assertThat(port1).isBetween(31000, 31005).isNotEqualTo(port0);
    assertThat(env).containsEntry("PORT", String.valueOf(port0))
        .containsEntry("PORTS", port0 + "," + port1)
        .containsEntry("PORT_HTTP", String.valueOf(port0))
        .containsEntry("PORT_10000", String.valueOf(port0))
        .containsEntry("HOST", "host-a")
        .containsEntry("MARATHON_APP_ID", "/prod/web")
        .containsEntry("MARATHON_APP_VERSION", version)
        .containsEntry("MARATHON_APP_RESOURCE_CPUS", "0.5")
        .containsEntry("MARATHON_APP_RESOURCE_MEM", "64.0")
        .containsEntry("MARATHON_APP_RESOURCE_DISK", "0.0")
        .containsEntry("MARATHON_APP_RESOURCE_GPUS", "0")
        .containsEntry("MARATHON_APP_LABELS", "TEAM")
        .containsEntry("MARATHON_APP_LABEL_TEAM", "a")
        .containsEntry("MESOS_TASK_ID", task.getTaskId())
        .containsEntry("FOO", "bar");

    assertThat(scalar(task, "cpus")).isEqualTo(0.5);
    assertThat(scalar(task, "mem")).isEqualTo(64.0);
    assertThat(task.getResourcesList()).noneMatch(r -> r.getName().equals("disk") || r.getName().equals("gpus"));
    Set<Long> ports = new HashSet<>();
    task.getResourcesList().stream().filter(r -> r.getName().equals("ports"))
        .forEach(r -> r.getRangesList().forEach(range -> {
          for (long p = range.getBegin(); p <= range.getEnd(); p++) {
            ports.add(p);
          }
        }));
    assertThat(ports).containsExactlyInAnyOrder((long) port0, (long) port1);
  }

  @Test
  void placementsArePersistedBeforeTheLaunch() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}");
    AtomicReference<List<Instance>> storedAtLaunch = new AtomicReference<>();
    int commitsBefore = h.store.commitCount();
    h.driver.onLaunch(tasks -> storedAtLaunch.set(h.store.children(ServicePaths.INSTANCES).stream()
        .map(id -> InstanceCodec.fromBytes(h.store.get(ServicePaths.INSTANCES + "/" + id).orElseThrow())).toList()));

    h.offers(Offers.big("o1", "host-a"));

    List<String> launched = h.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();
    assertThat(launched).hasSize(2);
    assertThat(storedAtLaunch.get()).allSatisfy(i -> {
      assertThat(i.state()).isEqualTo(InstanceState.STAGING);
      assertThat(i.task().agentId()).isEqualTo("agent-host-a");
    });
    assertThat(storedAtLaunch.get()).extracting(Instance::taskId).containsExactlyInAnyOrderElementsOf(launched);
    assertThat(h.store.commitCount()).as("one commit for the whole round").isEqualTo(commitsBefore + 1);
  }

  @Test
  void startingIsAcknowledgedWithoutAWriteAndRunningIsWritten() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 1}");
    h.offers(Offers.big("o1", "host-a"));
    String taskId = h.driver.launchedTasks().get(0).getTaskId();
    String path = ServicePaths.instance(h.instances("/a").get(0).id());
    int commits = h.store.commitCount();

    h.status(taskId, dev.corral.api.v1.TaskState.TASK_STARTING);
    assertThat(h.instances("/a").get(0).state()).isEqualTo(InstanceState.STARTING);
    assertThat(h.driver.acks()).extracting(a -> a.getState()).containsExactly(dev.corral.api.v1.TaskState.TASK_STARTING);
    assertThat(h.store.commitCount()).as("nothing written").isEqualTo(commits);
    assertThat(InstanceCodec.fromBytes(h.store.get(path).orElseThrow()).state()).isEqualTo(InstanceState.STAGING);

    h.status(taskId, dev.corral.api.v1.TaskState.TASK_RUNNING);
    assertThat(InstanceCodec.fromBytes(h.store.get(path).orElseThrow()).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(h.driver.acks()).hasSize(2);
  }

  @Test
  void argsRunWithoutAShellAndAsTheAppsUser() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"args\": [\"/bin/sleep\", \"100\"], \"user\": \"nobody\", \"cpus\": 0.1, \"mem\": 16}");
    h.offers(Offers.big("o1", "host-a"));
    TaskInfo task = h.driver.launchedTasks().get(0);
    assertThat(task.getCommand().getShell()).isFalse();
    assertThat(task.getCommand().getValue()).isEqualTo("/bin/sleep");
    assertThat(task.getCommand().getArgumentsList()).containsExactly("/bin/sleep", "100");
    assertThat(task.getCommand().getUser()).isEqualTo("nobody");
  }

  @Test
  void aThousandInstancesFillOneBigOfferInOneLaunchCall() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/bench\", \"cmd\": \"sleep 1000\", \"cpus\": 0.01, \"mem\": 1, \"instances\": 1000}");
    long start = System.nanoTime();
    h.offers(Offers.offer("big", "host-a").cpus(100).mem(100000).ports(31000, 32999).build());
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(h.driver.launches()).hasSize(1);
    List<TaskInfo> tasks = h.driver.launches().get(0).tasks();
    assertThat(tasks).hasSize(1000);
    assertThat(tasks.stream().map(t -> t.getCommand().getEnvironmentMap().get("PORT0")).distinct()).hasSize(1000);
    assertThat(h.instances("/bench")).allMatch(i -> i.state() == InstanceState.STAGING);
    System.out.println("BENCH 1000 instances: " + millis + " ms");
    assertThat(millis).as("matching and launching 1,000 instances (ms)").isLessThan(5000);
  }

  @Test
  void anOfferThatIsTooSmallIsDeclinedBrieflyAndTheQueueSaysWhy() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/big\", \"cmd\": \"sleep 1000\", \"cpus\": 1, \"mem\": 4096}");
    h.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).build());

    assertThat(h.driver.launches()).isEmpty();
    assertThat(h.driver.declines()).containsExactly(new FakeDriver.Decline(List.of("o1"), 5.0));
    assertThat(h.view().waitingReason("/big")).contains("needs mem 4096 MB").contains("has 1024 MB");
  }

  @Test
  void whenNothingWaitsOffersAreDeclinedForLongAndSuppressedUntilAnAppNeedsThem() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    assertThat(h.driver.revives()).as("subscribing suppressed offers; the new app revives them").isEqualTo(1);
    h.driver.clear();
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.launches()).singleElement().satisfies(l -> assertThat(l.refuseSeconds()).isEqualTo(120.0));
    assertThat(h.driver.suppresses()).as("the round used up the demand").isEqualTo(1);
    h.driver.clear();

    h.offers(Offers.big("o2", "host-b"));
    assertThat(h.driver.declines()).containsExactly(new FakeDriver.Decline(List.of("o2"), 120.0));
    assertThat(h.driver.suppresses()).as("already suppressed").isZero();

    h.create("{\"id\": \"/b\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    assertThat(h.driver.revives()).as("the previous revive was just now: this one waits its turn").isZero();
    h.loop.advance(Engine.MIN_REVIVE_INTERVAL);
    assertThat(h.driver.revives()).isEqualTo(1);
  }

  @Test
  void aRoundOverManyOffersLaunchesOnEveryOneOfThemInSlicesThenRevivesForTheRest() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/many\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 150,"
        + " \"constraints\": [[\"hostname\", \"UNIQUE\"]]}");
    h.loop.advance(Engine.MIN_REVIVE_INTERVAL);
    h.driver.clear();
    Offer[] offers = new Offer[100];
    for (int i = 0; i < offers.length; i++) {
      offers[i] = Offers.big("o" + i, "host-" + i);
    }
    h.offers(offers);
    assertThat(h.driver.launches()).as("one launch per offer, over two slices").hasSize(100);
    assertThat(h.instances("/many")).filteredOn(i -> i.state() == InstanceState.STAGING).hasSize(100);
    h.loop.advance(Engine.MIN_REVIVE_INTERVAL);
    assertThat(h.driver.revives()).as("50 still wait: offers are asked for again after the launches").isEqualTo(1);
  }

  @Test
  void aRoundThatPlacesThousandsGoesOnInSlicesAndUsesTheOffersLeft() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/big\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 1500,"
        + " \"portDefinitions\": []}");
    h.driver.clear();
    Offer[] offers = new Offer[100];
    for (int i = 0; i < offers.length; i++) {
      offers[i] = Offers.big("o" + i, "host-" + i);
    }
    h.offers(offers);
    assertThat(h.instances("/big")).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.STAGING));
    int launched = h.driver.launches().stream().mapToInt(l -> l.tasks().size()).sum();
    assertThat(launched).isEqualTo(1500);
    long declined = h.driver.declines().stream().mapToLong(d -> d.offerIds().size()).sum();
    assertThat(h.driver.launches().size() + declined).as("every offer answered once").isEqualTo(100);
  }

  @Test
  void aBurstOfNewAppsCostsOneReviveEachIntervalNotOneEach() {
    Harness h = Harness.running();
    h.loop.advance(Duration.ofSeconds(1));
    h.driver.clear();
    h.create("{\"id\": \"/first\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    assertThat(h.driver.revives()).as("the first after a quiet spell goes at once").isEqualTo(1);
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.driver.suppresses()).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      h.create("{\"id\": \"/burst-" + i + "\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
      h.loop.advance(Duration.ofMillis(5));
    }
    assertThat(h.driver.revives()).isEqualTo(1);
    h.loop.advance(Engine.MIN_REVIVE_INTERVAL);
    assertThat(h.driver.revives()).as("one revive for the ten").isEqualTo(2);
    h.offers(Offers.big("o2", "host-b"));
    assertThat(h.driver.launches()).hasSize(2);
    assertThat(h.driver.launches().get(1).tasks()).as("all ten placed from that revive's offer").hasSize(10);
  }

  @Test
  void aRejectedLaunchPutsTheInstanceBackInTheQueue() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    h.driver.rejectLaunches(true);
    h.offers(Offers.big("o1", "host-a"));
    assertThat(h.instances("/a")).singleElement().satisfies(i -> assertThat(i.isWaiting()).isTrue());

    h.driver.rejectLaunches(false);
    h.offers(Offers.big("o2", "host-a"));
    assertThat(h.driver.launches()).hasSize(2);
    assertThat(h.instances("/a")).singleElement().satisfies(i -> assertThat(i.state()).isEqualTo(InstanceState.STAGING));
  }

  @Test
  void rolesGpusAndRequiredPortsAreHonoured() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/roles\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"acceptedResourceRoles\": [\"prod\"]}");
    h.create("{\"id\": \"/gpu\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"gpus\": 1, \"portDefinitions\": []}");
    h.create("{\"id\": \"/fixed\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"requirePorts\": true,"
        + " \"portDefinitions\": [{\"port\": 8080}]}");

    h.offers(Offers.offer("o1", "host-a").cpus(8).mem(1024).ports(31000, 31010).build());
    assertThat(h.driver.launches()).isEmpty();
    assertThat(h.view().offerStats("/roles").lastRejection().reason().wireName()).isEqualTo("UnfulfilledRole");
    assertThat(h.view().offerStats("/gpu").lastRejection().reason().wireName()).isEqualTo("InsufficientGpus");
    assertThat(h.view().offerStats("/fixed").lastRejection().reason().wireName()).isEqualTo("InsufficientPorts");

    // GPU agents are kept for GPU apps (DeclinedScarceResources), so the other two need another agent.
    h.offers(Offers.offer("o2", "host-b").scalar("cpus", 4, "prod").scalar("mem", 1024, "prod")
        .ports(31000, 31010, "prod").cpus(8).mem(1024).ports(8080, 8080).build(),
        Offers.offer("o3", "host-c").cpus(8).mem(1024).gpus(1).build());
    Map<String, TaskInfo> byApp = new java.util.HashMap<>();
    h.driver.launchedTasks().forEach(t -> byApp.put(t.getName(), t));
    assertThat(byApp).containsOnlyKeys("/roles", "/gpu", "/fixed");
    assertThat(byApp.get("/roles").getResourcesList()).allMatch(r -> r.getRole().equals("prod"));
    assertThat(scalar(byApp.get("/gpu"), "gpus")).isEqualTo(1.0);
    assertThat(byApp.get("/fixed").getCommand().getEnvironmentMap()).containsEntry("PORT0", "8080");
  }

  static double scalar(TaskInfo task, String name) {
    return task.getResourcesList().stream().filter(r -> r.getName().equals(name)).mapToDouble(Resource::getScalar).sum();
  }
}

package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThreadEventLoop;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Goal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecoveryTest {

  @Test
  void theFrameworkIdIsStoredBeforeReconciliation() {
    Harness h = new Harness();
    h.scheduler.start();
    h.loop.runPending();
    assertThat(h.driver.info().getFrameworkId()).isEmpty();
    assertThat(h.driver.info().getName()).isEqualTo("marathon");
    AtomicReference<String> storedAtReconcile = new AtomicReference<>();
    h.driver.onReconcile(() -> storedAtReconcile.set(
        h.store.get(ServicePaths.FRAMEWORK_ID).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null)));
    h.subscribe("fw-1");
    assertThat(storedAtReconcile.get()).isEqualTo("fw-1");
  }

  @Test
  void anApiRequestDuringTheRecoveryRunsAfterItAndAheadOfQueuedStatusUpdates() throws Exception {
    Harness first = Harness.running();
    first.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 1}");
    first.offers(Offers.big("o1", "host-a"));
    TaskInfo launched = first.driver.launchedTasks().get(0);
    first.scheduler.close();

    // a new leader whose loop is busy while it starts: the recovery, an update and a request all queue
    ThreadEventLoop loop = new ThreadEventLoop("services-test", java.time.Clock.systemUTC());
    CountDownLatch busy = new CountDownLatch(1);
    loop.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      FakeDriver driver = new FakeDriver();
      ServiceScheduler second = new ServiceScheduler(ServicesConfig.defaults("localhost", "localhost:8080"),
          first.store, loop, driver::create);
      second.start();
      driver.scheduler().subscribed("fw-1");
      driver.scheduler().update(TaskStatus.newBuilder().setTaskId(launched.getTaskId())
          .setAgentId(launched.getAgentId()).setState(TaskState.TASK_RUNNING).setUuid("u-1").build());
      CompletableFuture<ServicesView> seen = second.view();
      busy.countDown();

      ServicesView during = seen.get(10, TimeUnit.SECONDS);
      assertThat(during.apps()).as("after the recovery").containsKey("/a");
      assertThat(during.instancesOf("/a").get(0).state()).as("ahead of the update")
          .isNotEqualTo(InstanceState.RUNNING);
      // the update is applied after it (an API request asking now would run ahead of it too)
      await().atMost(Duration.ofSeconds(10)).until(() ->
          second.view().get(10, TimeUnit.SECONDS).instancesOf("/a").get(0).state() == InstanceState.RUNNING);
      second.close();
    } finally {
      busy.countDown();
      loop.shutdown();
    }
  }

  @Test
  void aRehearsedRecoveryChangesNothingAndSendsNothing() throws Exception {
    Harness leader = Harness.running();
    leader.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 3}");
    leader.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).ports(31000, 31100).build());
    leader.runAll();
    leader.update("/a", "{\"instances\": 1}"); // two instances to kill: a recovery repeats such kills
    int commits = leader.store.commitCount();
    int kills = leader.driver.kills().size();

    ServiceScheduler.rehearseRecovery(dev.corral.services.engine.Recovery.load(leader.store));
    assertThat(leader.store.commitCount()).isEqualTo(commits);
    assertThat(leader.driver.kills()).hasSize(kills);
  }

  @Test
  void aNewSchedulerOnTheSameStoreRecoversEverythingAndLaunchesNothingTwice() {
    Harness first = Harness.running();
    first.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 3}");
    first.create("{\"id\": \"/b\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 2}");
    first.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).ports(31000, 31100).build());
    List<String> launched = first.driver.launchedTasks().stream().map(TaskInfo::getTaskId).toList();
    assertThat(launched).hasSize(4);
    first.runAll();
    first.update("/a", "{\"instances\": 2}");
    String killed = first.driver.kills().get(0).taskId();
    first.scheduler.close();
    assertThat(first.driver.closed()).isTrue();

    Harness second = new Harness(first.store, first.clock);
    second.scheduler.start();
    second.loop.runPending();
    assertThat(second.driver.info().getFrameworkId()).isEqualTo("fw-1");
    assertThat(second.view().apps()).containsOnlyKeys("/a", "/b");
    assertThat(second.instances("/a")).hasSize(3);
    assertThat(second.instances("/a")).filteredOn(i -> i.goal() == Goal.DECOMMISSIONED).hasSize(1);
    assertThat(second.view().waiting("/b")).hasSize(1);

    second.subscribe("fw-1");
    List<String> reconciled = second.driver.reconciles().get(0).stream().map(ReconcileTask::getTaskId).toList();
    assertThat(reconciled).containsExactlyInAnyOrderElementsOf(launched);
    assertThat(second.driver.reconciles().get(1)).as("then implicit reconciliation").isEmpty();
    assertThat(second.driver.kills()).extracting(FakeDriver.Kill::taskId).as("the unfinished kill is repeated")
        .containsExactly(killed);
    assertThat(second.driver.revives()).as("one instance of /b still waits").isEqualTo(1);

    second.offers(Offers.big("o2", "host-b"));
    assertThat(second.driver.launchedTasks()).as("only the one that never launched").hasSize(1)
        .allMatch(t -> t.getName().equals("/b"));

    second.status(killed, TaskState.TASK_KILLED);
    assertThat(second.instances("/a")).hasSize(2);
  }

  @Test
  void anInstanceIsFirstWrittenWhenPlacedAndOneNeverPlacedIsCreatedAgainOnRecovery() {
    Harness first = Harness.running();
    first.create("{\"id\": \"/w\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 3}");
    assertThat(first.instances("/w")).hasSize(3);
    assertThat(first.store.children(ServicePaths.INSTANCES)).as("waiting for a first place: in memory only").isEmpty();

    first.offers(Offers.offer("o1", "host-a").cpus(1).mem(1024).ports(31000, 31100).build());
    String placed = first.instances("/w").stream().filter(i -> i.task() != null).findFirst().orElseThrow().id();
    assertThat(first.store.children(ServicePaths.INSTANCES)).as("written with its task, before the launch")
        .containsExactly(placed.substring(placed.lastIndexOf('/') + 1));
    // a waiting one goes: nothing written to delete
    first.await(first.scheduler.updateApp("/w", Harness.object("{\"instances\": 2}"), true, true, null));
    first.runAll();
    assertThat(first.instances("/w")).hasSize(2);
    assertThat(first.store.children(ServicePaths.INSTANCES)).hasSize(1);
    first.scheduler.close();

    Harness second = new Harness(first.store, first.clock);
    second.scheduler.start();
    second.loop.runPending();
    assertThat(second.instances("/w")).as("the placed one recovered, the waiting one created again").hasSize(2)
        .extracting(i -> i.id()).contains(placed);
    assertThat(second.view().waiting("/w")).hasSize(1);
    second.subscribe("fw-1");
    second.offers(Offers.big("o2", "host-b"));
    assertThat(second.driver.launchedTasks()).hasSize(1);
    assertThat(second.store.children(ServicePaths.INSTANCES)).hasSize(2);
  }

  @Test
  void aDeploymentWhoseStepFinishedJustBeforeAFailoverFinishesOnRecovery() {
    Harness first = Harness.running();
    first.create("{\"id\": \"/c\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"instances\": 2}");
    List<String> stored = first.store.children(ServicePaths.DEPLOYMENTS);
    assertThat(stored).hasSize(1);
    String path = ServicePaths.DEPLOYMENTS + "/" + stored.get(0);
    byte[] inProgress = first.store.get(path).orElseThrow();
    first.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).ports(31000, 31100).build());
    first.runAll();
    assertThat(first.store.children(ServicePaths.DEPLOYMENTS)).isEmpty();
    first.scheduler.close();
    // The leader died after its tasks' RUNNING was stored but before the deployment's removal was.
    first.store.commitAndWait(List.of(dev.corral.state.StoreOp.put(path, inProgress)));

    Harness second = new Harness(first.store, first.clock);
    second.scheduler.start();
    second.loop.runPending();
    assertThat(second.store.children(ServicePaths.DEPLOYMENTS)).as("nothing else will touch /c").isEmpty();
    assertThat(second.view().deployments()).isEmpty();
  }
}

package dev.corral.dist.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.services.engine.Recovery;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.InstanceState;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.StoreOp;
import dev.corral.state.ZkStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandbyWarmupTest {
  private static final Duration CHECK = Duration.ofMillis(50);

  @TempDir
  Path dir;

  @Test
  void readsOnceThereIsEnoughToMatterAndAgainOnlyWhenItHasDoubled() {
    int min = StandbyWarmup.MIN_INSTANCES;
    assertThat(StandbyWarmup.due(0, 0, min)).isFalse();
    assertThat(StandbyWarmup.due(min - 1, 0, min)).isFalse();
    assertThat(StandbyWarmup.due(min, 0, min)).isTrue();
    assertThat(StandbyWarmup.due(150_000, 100_000, min)).isFalse();
    assertThat(StandbyWarmup.due(100_000, 100_000, min)).isFalse();
    assertThat(StandbyWarmup.due(200_000, 100_000, min)).isTrue();
    assertThat(StandbyWarmup.due(Integer.MAX_VALUE, Integer.MAX_VALUE, min)).as("no overflow").isFalse();
  }

  @Test
  void aStandbyRehearsesWithTheStoredInstancesButNotWhileItLeads() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(30))) {
      AtomicBoolean leading = new AtomicBoolean(true);
      // the store read stands for the standby's copy (ServicesMirrorTest: the copy equals that read)
      try (StandbyWarmup warmup = new StandbyWarmup(store, leading::get,
          () -> Optional.of(Recovery.load(store)), 10, CHECK).start()) {
        putInstances(store, 0, 10);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> warmup.reads() == 0);

        leading.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> warmup.reads() == 1);
        assertThat(warmup.lastRead()).isEqualTo(10);

        putInstances(store, 10, 15);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> warmup.reads() == 1);
        putInstances(store, 15, 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> warmup.reads() == 2);
        assertThat(warmup.lastRead()).isEqualTo(20);
      }
    }
  }

  private static void putInstances(ZkStore store, int from, int to) {
    List<StoreOp> ops = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Instance instance = new Instance("a.instance-" + i, "/a", "v1", Goal.RUNNING, InstanceState.SCHEDULED,
          Instant.parse("2026-11-26T00:00:00Z"), null);
      ops.add(StoreOp.put(ServicePaths.instance(instance.id()), InstanceCodec.toBytes(instance)));
    }
    store.commitAndWait(ops);
  }
}

package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two masters' elections over one embedded ZooKeeper: one leads at a time, and a deposed one cannot write. */
class LeaderElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  /** Records what the election told the master. */
  private static final class Recorder implements LeaderElection.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final String name;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public byte[] elected(long epoch) {
      events.add("elected " + epoch);
      return ("{\"id\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void deposed() {
      events.add("deposed");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLeaderAnnouncedWhileStartingIsReplacedInPlaceWithoutAMomentOfNoLeader() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", WAIT);
         ZkStore observer = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      List<String> seen = new CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
      LeaderElection[] election = new LeaderElection[1];
      election[0] = new LeaderElection(store, "a", new LeaderElection.Listener() {
        @Override
        public byte[] elected(long epoch) throws Exception {
          election[0].announce(bytes("starting"));
          proceed.await(); // the rest of the term starting
          return bytes("started");
        }

        @Override
        public void deposed() {}
      });
      org.apache.curator.framework.recipes.cache.CuratorCache cache = org.apache.curator.framework.recipes.cache
          .CuratorCache.build(observer.curator(), LeaderElection.INFO,
              org.apache.curator.framework.recipes.cache.CuratorCache.Options.SINGLE_NODE_CACHE);
      cache.listenable().addListener((type, before, after) -> seen.add(type + " "
          + (after == null ? "-" : new String(after.getData(), StandardCharsets.UTF_8))));
      cache.start();
      election[0].start();
      await().atMost(WAIT).until(() -> seen.contains("NODE_CREATED starting"));
      long created = observer.curator().checkExists().forPath(LeaderElection.INFO).getCzxid();
      proceed.countDown();
      await().atMost(WAIT).until(() -> seen.contains("NODE_CHANGED started"));
      assertThat(seen).containsExactly("NODE_CREATED starting", "NODE_CHANGED started");
      assertThat(observer.curator().checkExists().forPath(LeaderElection.INFO).getCzxid()).isEqualTo(created);
      cache.close();
      election[0].close();
    }
  }

  @Test
  void oneLeadsAtATimeAndTheNextTakesOverWithAHigherEpoch() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore storeA = ZkStore.connect(zk.connectString(), "corral", WAIT);
         ZkStore storeB = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      Recorder a = new Recorder("a");
      Recorder b = new Recorder("b");
      LeaderElection electionA = new LeaderElection(storeA, "a", a);
      LeaderElection electionB = new LeaderElection(storeB, "b", b);
      // Before any win, neither store writes.
      assertThatThrownBy(() -> storeB.commitAndWait(List.of(StoreOp.put("/x", bytes("b")))))
          .isInstanceOf(StoreException.class).hasMessageContaining("not the leader");
      electionA.start();
      await().atMost(WAIT).until(() -> a.events.equals(List.of("elected 1")));
      electionB.start();
      storeA.commitAndWait(List.of(StoreOp.put("/x", bytes("a"))));
      assertThat(new String(storeA.get(LeaderElection.INFO).orElseThrow(), StandardCharsets.UTF_8)).contains("\"a\"");
      assertThat(b.events).isEmpty();
      assertThatThrownBy(() -> storeB.commitAndWait(List.of(StoreOp.put("/x", bytes("b")))))
          .isInstanceOf(StoreException.class);

      electionA.close();
      assertThat(a.events).containsExactly("elected 1", "deposed");
      await().atMost(WAIT).until(() -> b.events.equals(List.of("elected 2")));
      assertThat(electionB.epoch()).isEqualTo(2);
      storeB.commitAndWait(List.of(StoreOp.put("/x", bytes("b"))));
      await().atMost(WAIT).until(() -> storeB.get(LeaderElection.INFO)
          .map(d -> new String(d, StandardCharsets.UTF_8).contains("\"b\"")).orElse(false));
      assertThatThrownBy(() -> storeA.commitAndWait(List.of(StoreOp.put("/x", bytes("a")))))
          .isInstanceOf(StoreException.class);
      assertThat(new String(storeB.get("/x").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("b");
      electionB.close();
    }
  }

  @Test
  void aLeaderThatMissedItsDepositionCannotWrite() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore stale = ZkStore.connect(zk.connectString(), "corral", WAIT);
         ZkStore other = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      Recorder r = new Recorder("stale");
      LeaderElection election = new LeaderElection(stale, "stale", r);
      election.start();
      await().atMost(WAIT).until(() -> r.events.equals(List.of("elected 1")));
      stale.commitAndWait(List.of(StoreOp.put("/apps/a", bytes("1"))));

      // Another master bumps the epoch, as a newer leader does on winning, while this one has not heard yet.
      try {
        other.curator().setData().forPath(LeaderElection.EPOCH, bytes("newer"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      // Refused by the fence, or, once the epoch watch has fired, because this master stepped down.
      assertThatThrownBy(() -> stale.commitAndWait(List.of(StoreOp.put("/apps/a", bytes("2")))))
          .isInstanceOf(StoreException.class)
          .hasMessageMatching("(?s).*(another master leads|not the leader).*");
      assertThat(new String(stale.get("/apps/a").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("1");
      await().atMost(WAIT).until(() -> r.events.equals(List.of("elected 1", "deposed")));
      election.close();
    }
  }

  @Test
  void anEvictedLeaderIsReplacedAtOnceAndStepsDownIfItWasAlive() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore storeA = ZkStore.connect(zk.connectString(), "corral", WAIT, Duration.ofSeconds(60));
         ZkStore storeB = ZkStore.connect(zk.connectString(), "corral", WAIT, Duration.ofSeconds(60))) {
      Recorder a = new Recorder("a");
      Recorder b = new Recorder("b");
      LeaderElection electionA = new LeaderElection(storeA, "a", a);
      LeaderElection electionB = new LeaderElection(storeB, "b", b);
      electionA.start();
      await().atMost(WAIT).until(() -> a.events.equals(List.of("elected 1")));
      electionB.start();
      await().atMost(WAIT).until(() -> storeA.curator().getChildren().forPath(LeaderElection.LATCH).size() == 2);
      long sessionA = storeA.curator().getZookeeperClient().getZooKeeper().getSessionId();
      long sessionB = storeB.curator().getZookeeperClient().getZooKeeper().getSessionId();
      await().atMost(WAIT).until(() -> storeB.curator().checkExists().forPath(LeaderElection.INFO) != null);

      assertThat(electionB.evict(sessionB)).as("its own nodes are never evicted").isFalse();
      assertThat(electionB.evict(sessionA)).isTrue();
      // Long before A's 60 s session could expire, B leads; A, alive after all, sees the bump and steps down.
      await().atMost(Duration.ofSeconds(20)).until(() -> b.events.equals(List.of("elected 2")));
      await().atMost(Duration.ofSeconds(20)).until(() -> a.events.equals(List.of("elected 1", "deposed")));
      assertThatThrownBy(() -> storeA.commitAndWait(List.of(StoreOp.put("/x", bytes("a")))))
          .isInstanceOf(StoreException.class);
      storeB.commitAndWait(List.of(StoreOp.put("/x", bytes("b"))));
      await().atMost(WAIT).until(() -> storeB.get(LeaderElection.INFO)
          .map(d -> new String(d, StandardCharsets.UTF_8).contains("\"b\"")).orElse(false));
      assertThat(electionB.evict(sessionA)).as("nothing of A's is left to remove").isFalse();
      electionA.close();
      electionB.close();
    }
  }

  @Test
  void losingTheConnectionToZooKeeperEndsLeadershipAtOnce() {
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
    try (ZkStore store = ZkStore.connect(zk.connectString(), "corral", WAIT, Duration.ofSeconds(30))) {
      Recorder r = new Recorder("a");
      LeaderElection election = new LeaderElection(store, "a", r);
      election.start();
      await().atMost(WAIT).until(() -> r.events.equals(List.of("elected 1")));
      zk.close();
      // Well before the 30 s session could expire: a suspended connection is reason enough.
      await().atMost(WAIT).until(() -> r.events.equals(List.of("elected 1", "deposed")));
      assertThat(election.epoch()).isEqualTo(-1);
      assertThatThrownBy(() -> store.commitAndWait(List.of(StoreOp.put("/x", bytes("a")))))
          .isInstanceOf(StoreException.class).hasMessageContaining("not the leader");
      election.close();
    } finally {
      zk.close();
    }
  }

  @Test
  void aFailedTakeOverStepsAsideAndRejoins() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      List<String> events = new CopyOnWriteArrayList<>();
      LeaderElection election = new LeaderElection(store, "flaky", new LeaderElection.Listener() {
        @Override
        public byte[] elected(long epoch) {
          events.add("elected " + epoch);
          if (epoch == 1) {
            throw new IllegalStateException("port in use");
          }
          return null;
        }

        @Override
        public void deposed() {
          events.add("deposed");
        }
      });
      election.start();
      await().atMost(WAIT).until(() -> events.equals(List.of("elected 1", "deposed", "elected 2")));
      assertThat(election.epoch()).isEqualTo(2);
      election.close();
    }
  }
}

package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ZooKeeper store against a real embedded ZooKeeper server. */
class ZkStoreTest {
  @TempDir
  Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putGetChildrenDeleteAndSurviveARestart() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0)) {
      try (ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
        store.commitAndWait(List.of(
            StoreOp.put("/services/apps/a", bytes("1")),
            StoreOp.put("/services/apps/b", bytes("2")),
            StoreOp.put("/services/apps/b", bytes("3"))));
        assertThat(store.children("/services/apps")).containsExactly("a", "b");
        assertThat(new String(store.get("/services/apps/b").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("3");
        store.commitAndWait(List.of(StoreOp.delete("/services/apps/a"), StoreOp.delete("/nothing/here")));
        assertThat(store.children("/services/apps")).containsExactly("b");
        assertThat(store.get("/services/apps/a")).isEmpty();
      }
    }
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      assertThat(store.get("/services/apps/b")).isPresent();
      store.commitAndWait(List.of(StoreOp.delete("/services")));
      assertThat(store.children("/services/apps")).isEmpty();
    }
  }

  @Test
  void missingParentsAreCreatedInTheSameTransactionAsTheirChild() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10));
         org.apache.curator.framework.CuratorFramework raw = org.apache.curator.framework.CuratorFrameworkFactory
             .newClient(zk.connectString(), new org.apache.curator.retry.RetryOneTime(100))) {
      raw.start();
      store.commitAndWait(List.of(StoreOp.put("/services/app-versions/web/v1", bytes("1"))));
      long child = raw.checkExists().forPath("/corral/services/app-versions/web/v1").getCzxid();
      long parent = raw.checkExists().forPath("/corral/services/app-versions/web").getCzxid();
      long root = raw.checkExists().forPath("/corral/services").getCzxid();
      assertThat(parent).as("one ZooKeeper write (one fsync) for the node and its new parents").isEqualTo(child);
      assertThat(root).isEqualTo(child);
      assertThat(raw.getData().forPath("/corral/services/app-versions/web")).isEmpty();

      // deleted and created again in one merged commit: the parent is created again inside the same multi
      CompletableFuture<Void> gone = store.commit(List.of(StoreOp.delete("/services/app-versions/web")));
      CompletableFuture<Void> back = store.commit(List.of(StoreOp.put("/services/app-versions/web/v2", bytes("2"))));
      CompletableFuture.allOf(gone, back).join();
      assertThat(store.children("/services/app-versions/web")).containsExactly("v2");
      store.commitAndWait(List.of(StoreOp.put("/services/app-versions/web/v3", bytes("3"))));
      assertThat(store.children("/services/app-versions/web")).containsExactly("v2", "v3");
    }
  }

  @Test
  void aDirectoryWhoseListingIsOverOneMegabyteIsListedAndReadWhole() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      String prefix = "bench_failover.instance-0123456789abcdef0123456789abcdef-";
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        writes.add(store.commit(List.of(StoreOp.put("/services/instances/" + prefix + i, bytes("x" + i)))));
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
      // 20,000 names of 60 bytes: a 1.3 MB answer, over ZooKeeper's default limit of 1 MB
      assertThat(store.children("/services/instances")).hasSize(20_000);

      // read back pipelined, more than the reads in flight at once, each child with its own data
      java.util.SortedMap<String, byte[]> all = store.childrenWithData("/services/instances");
      assertThat(all).hasSize(20_000);
      for (int i = 0; i < 20_000; i++) {
        assertThat(all.get(prefix + i)).as("child %d", i).isEqualTo(bytes("x" + i));
      }
      assertThat(store.childrenWithData("/services/nothing")).isEmpty();

      // a child gone between the listing and the read is left out; the others in its batch still read
      List<String> names = new ArrayList<>(List.of(prefix + 1, prefix + 2, "gone", prefix + 3));
      for (int i = 4; i < 600; i++) {
        names.add(prefix + i);
      }
      java.util.SortedMap<String, byte[]> some = store.childrenWithData("/services/instances", names);
      assertThat(some).hasSize(599).doesNotContainKey("gone");
      assertThat(some.get(prefix + 3)).isEqualTo(bytes("x3"));
      assertThat(some.get(prefix + 599)).isEqualTo(bytes("x599"));
    }
  }

  @Test
  void concurrentCommitsAreGroupedAndAFailingOneFailsAlone() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        writes.add(store.commit(List.of(StoreOp.put("/instances/i" + i, bytes("x" + i)))));
      }
      // Creating and deleting one node in a single commit is rejected; the others still land.
      CompletableFuture<Void> bad = store.commit(List.of(StoreOp.put("/bad/x", bytes("1")), StoreOp.delete("/bad/x")));
      CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
      assertThatThrownBy(bad::join).hasCauseInstanceOf(StoreException.class)
          .hasMessageContaining("creates and deletes /bad/x");
      assertThat(store.children("/instances")).hasSize(1000);
      assertThat(store.get("/bad/x")).isEmpty();
    }
  }

  @Test
  void nodesCreatedUpdatedAndDeletedUnderOneParentAfterItWasListed() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      store.commitAndWait(List.of(StoreOp.put("/instances/old", bytes("0"))));
      List<StoreOp> creates = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        creates.add(StoreOp.put("/instances/i" + i, bytes("a" + i)));
      }
      store.commitAndWait(creates);
      store.commitAndWait(List.of(StoreOp.put("/instances/i7", bytes("b")), StoreOp.put("/instances/old", bytes("1")),
          StoreOp.delete("/instances/i8"), StoreOp.delete("/instances/never")));
      store.commitAndWait(List.of(StoreOp.put("/instances/i8", bytes("again"))));

      assertThat(store.children("/instances")).hasSize(501);
      assertThat(new String(store.get("/instances/i7").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("b");
      assertThat(new String(store.get("/instances/i8").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("again");
      assertThat(new String(store.get("/instances/old").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("1");
    }
  }

  @Test
  void nodesTheWriterCreatedAreDeletedWithWhateverIsBelowThem() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10));
         ZkStore other = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      store.commitAndWait(List.of(StoreOp.put("/apps/a", bytes("leaf")), StoreOp.put("/apps/b", bytes("1")),
          StoreOp.put("/apps/c", bytes("2"))));
      store.commitAndWait(List.of(StoreOp.put("/apps/b/versions/v1", bytes("child"))));
      // a node below one the writer created, that the writer does not know of: its delete fails, then is retried
      other.commitAndWait(List.of(StoreOp.put("/apps/c/x", bytes("from the other"))));

      store.commitAndWait(List.of(StoreOp.delete("/apps/a"), StoreOp.delete("/apps/b")));
      store.commitAndWait(List.of(StoreOp.delete("/apps/c")));

      assertThat(store.children("/apps")).isEmpty();
      assertThat(store.get("/apps/b/versions/v1")).isEmpty();
      assertThat(store.get("/apps/c/x")).isEmpty();
    }
  }

  @Test
  void aNodeAnotherWriterCreatedAfterTheListingIsFoundWhenTheCommitIsRetried() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10));
         ZkStore other = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      store.commitAndWait(List.of(StoreOp.put("/instances/a", bytes("1"))));
      other.commitAndWait(List.of(StoreOp.put("/instances/b", bytes("from the other"))));

      // One writer per store is the design; a second one costs a failed multi, retried on a fresh listing.
      store.commitAndWait(List.of(StoreOp.put("/instances/b", bytes("mine"))));
      assertThat(new String(store.get("/instances/b").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("mine");
    }
  }

  @Test
  void aFailedMultiIsWrittenAgainWithoutUndoingTheWritesSentAfterIt() {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10));
         ZkStore other = ZkStore.connect(zk.connectString(), "corral", Duration.ofSeconds(10))) {
      store.commitAndWait(List.of(StoreOp.put("/instances/p", bytes("0"))));
      for (int round = 0; round < 5; round++) {
        // Another writer's node fails the first multi (its create of x). The commits queued behind it fill
        // more than one multi, and the next is sent while the first is on its way; it sets p last.
        other.commitAndWait(List.of(StoreOp.put("/instances/x" + round, bytes("from the other"))));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        writes.add(store.commit(List.of(StoreOp.put("/instances/x" + round, bytes("mine")),
            StoreOp.put("/instances/p", bytes("old" + round)))));
        for (int i = 0; i < 3000; i++) {
          writes.add(store.commit(List.of(StoreOp.put("/fill/r" + round + "-" + i, bytes("f")))));
        }
        writes.add(store.commit(List.of(StoreOp.put("/instances/p", bytes("new" + round)))));
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
        assertThat(new String(store.get("/instances/p").orElseThrow(), StandardCharsets.UTF_8))
            .isEqualTo("new" + round);
        assertThat(new String(store.get("/instances/x" + round).orElseThrow(), StandardCharsets.UTF_8))
            .isEqualTo("mine");
        assertThat(store.children("/fill")).hasSize(3000 * (round + 1));
      }
    }
  }
}

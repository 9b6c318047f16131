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
}

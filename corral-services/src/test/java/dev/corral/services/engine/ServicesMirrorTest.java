package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.services.Harness;
import dev.corral.services.Offers;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.MemoryStore;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import dev.corral.state.ZkStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby's copy of the services' state against a real ZooKeeper: whatever the leader wrote, before the
 * copy started, while it loaded, or after, the copy answers exactly what a read of the store finds. The
 * leader's writes are those of a real scheduler (on a memory store, replayed into ZooKeeper).
 */
class ServicesMirrorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  @Test
  void theCopyFollowsEveryKindOfChangeAndEqualsWhatAReadFinds() {
    Harness leader = Harness.running();
    leader.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 3}");
    leader.create("{\"id\": \"/g/b\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      Map<String, byte[]> replayed = replay(leader.store, store, Map.of());
      try (ServicesMirror mirror = ServicesMirror.start(store)) {
        assertSameAsRead(mirror, store);

        // launches, runs, a new version (rolling upgrade), a scale-down with kills, an app removed
        leader.offers(Offers.big("o1", "host-a"));
        leader.runAll();
        leader.update("/a", "{\"cmd\": \"y\", \"instances\": 2}");
        leader.offers(Offers.big("o2", "host-b"));
        leader.runAll();
        leader.delete("/g/b");
        replayed = replay(leader.store, store, replayed);
        Recovery.Recovered copy = assertSameAsRead(mirror, store);
        assertThat(encoded(mirror.snapshot(WAIT).orElseThrow())).as("the unchecked snapshot, the store at rest")
            .isEqualTo(encoded(copy));
        assertThat(copy.apps()).extracting(app -> app.id()).containsExactly("/a");
        assertThat(copy.versions().get("/a")).hasSize(2);
        assertThat(copy.frameworkId()).isEqualTo("fw-1");

        // a node the scheduler cannot read is left out by both, and counted by both
        store.commitAndWait(List.of(StoreOp.put(ServicePaths.instance("broken"),
            "not json".getBytes(StandardCharsets.UTF_8))));
        assertSameAsRead(mirror, store);
      }
    }
  }

  @Test
  void changesWhileTheCopyLoadsAreNotLost() throws Exception {
    Harness leader = Harness.running();
    leader.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}");
    leader.offers(Offers.big("o1", "host-a")); // placed: written
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
         ZkStore store = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      replay(leader.store, store, Map.of());
      byte[] instance = store.childrenWithData(ServicePaths.INSTANCES).values().iterator().next();
      for (int i = 0; i < 3_000; i++) {
        store.commit(List.of(StoreOp.put(ServicePaths.instance("before-" + i), instance)));
      }
      store.commitAndWait(List.of());
      // a writer that adds, rewrites and removes instances while the copy makes its first read
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          List<StoreOp> ops = new ArrayList<>();
          ops.add(StoreOp.put(ServicePaths.instance("during-" + i), instance));
          ops.add(StoreOp.delete(ServicePaths.instance("before-" + (i % 3_000))));
          ops.add(StoreOp.put(ServicePaths.instance("before-" + ((i + 1_500) % 3_000)), instance));
          store.commitAndWait(ops);
        }
      });
      writer.start();
      try (ServicesMirror mirror = ServicesMirror.start(store)) {
        await().atMost(WAIT).until(mirror::loaded);
        Thread.sleep(200);
        stop.set(true);
        writer.join();
        assertSameAsRead(mirror, store);
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }

  @Test
  void aCopyWhoseConnectionWasInterruptedIsLoadedAgain() {
    Harness leader = Harness.running();
    leader.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}");
    leader.offers(Offers.big("o1", "host-a"));
    leader.runAll();
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
    int port = zk.port();
    try (ZkStore store = ZkStore.connect(zk.connectString(), "corral", WAIT)) {
      Map<String, byte[]> replayed = replay(leader.store, store, Map.of());
      try (ServicesMirror mirror = ServicesMirror.start(store)) {
        assertSameAsRead(mirror, store);
        zk.close(); // the session outlives the outage: only the events in between could be missed
        assertThat(mirror.recovered(Duration.ofSeconds(1))).as("no answer it cannot vouch for").isEmpty();
        zk = EmbeddedZooKeeper.start(dir, port);
        leader.update("/a", "{\"instances\": 4}");
        leader.offers(Offers.big("o2", "host-a"));
        replay(leader.store, store, replayed);
        assertSameAsRead(mirror, store);
      }
    } finally {
      zk.close();
    }
  }

  /** Writes what changed in {@code from} since {@code before} into {@code to}; returns what it now holds. */
  private static Map<String, byte[]> replay(MemoryStore from, ZkStore to, Map<String, byte[]> before) {
    Map<String, byte[]> now = from.snapshot();
    List<StoreOp> ops = new ArrayList<>();
    now.forEach((path, data) -> {
      if (!Arrays.equals(before.get(path), data)) {
        ops.add(StoreOp.put(path, data));
      }
    });
    // a removal takes what is below the node with it
    before.keySet().stream().filter(p -> !now.containsKey(p) && now.containsKey(StorePaths.parent(p)))
        .forEach(p -> ops.add(StoreOp.delete(p)));
    to.commitAndWait(ops);
    return now;
  }

  /** The copy's answer (awaited while it loads) equals a read of the store, entity by entity. */
  private static Recovery.Recovered assertSameAsRead(ServicesMirror mirror, ZkStore store) {
    Optional<Recovery.Recovered>[] copy = new Optional[1];
    await().atMost(WAIT).until(() -> (copy[0] = mirror.recovered(WAIT)).isPresent());
    assertThat(encoded(copy[0].get())).isEqualTo(encoded(Recovery.load(store)));
    return copy[0].get();
  }

  private static Map<String, Object> encoded(Recovery.Recovered r) {
    Map<String, Object> out = new TreeMap<>();
    out.put("frameworkId", r.frameworkId());
    out.put("apps", r.apps().stream().map(a -> new String(a.toBytes(), StandardCharsets.UTF_8)).toList());
    out.put("versions", new TreeMap<>(r.versions()));
    out.put("instances", r.instances().stream()
        .map(i -> new String(InstanceCodec.toBytes(i), StandardCharsets.UTF_8)).toList());
    out.put("failures", r.failures().stream()
        .map(f -> new String(InstanceCodec.failureToBytes(f), StandardCharsets.UTF_8)).toList());
    out.put("deployments", r.deployments().stream()
        .map(d -> new String(d.toBytes(), StandardCharsets.UTF_8)).toList());
    out.put("groups", r.groups().stream().map(g -> new String(g.toBytes(), StandardCharsets.UTF_8)).toList());
    return out;
  }
}

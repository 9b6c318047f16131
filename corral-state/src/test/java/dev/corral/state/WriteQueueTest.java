package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteQueueTest {
  private record C(String name, List<StoreOp> ops) implements WriteQueue.Commit {}

  private static C put(String name, String... paths) {
    return new C(name, java.util.Arrays.stream(paths).map(p -> StoreOp.put(p, new byte[0])).toList());
  }

  private static List<String> order(WriteQueue<C> q) {
    return q.drain().stream().map(C::name).toList();
  }

  @Test
  void anAheadCommitPassesQueuedOnesItSharesNoNodeWith() {
    WriteQueue<C> q = new WriteQueue<>(100);
    q.offer(put("status-1", "/services/instances/a.1"), false);
    q.offer(put("status-2", "/services/instances/a.2"), false);
    q.offer(put("create-b", "/services/apps/b", "/services/instances/b.1"), true);
    q.offer(put("create-c", "/services/apps/c"), true);
    assertThat(order(q)).containsExactly("create-b", "create-c", "status-1", "status-2");
  }

  @Test
  void itNeverPassesAWriteToTheSameNodeOrToANodeAboveOrBelowIt() {
    WriteQueue<C> q = new WriteQueue<>(100);
    q.offer(put("status", "/services/instances/a.1"), false);
    q.offer(put("same-node", "/services/instances/a.1"), true);
    assertThat(order(q)).containsExactly("status", "same-node");

    q.offer(new C("delete-app", List.of(StoreOp.delete("/services/app-versions/a"))), false);
    q.offer(put("new-version", "/services/app-versions/a/v2"), true);
    assertThat(order(q)).as("a queued delete of the subtree holding it").containsExactly("delete-app", "new-version");

    q.offer(put("version", "/services/app-versions/a/v3"), false);
    q.offer(new C("delete", List.of(StoreOp.delete("/services/app-versions/a"))), true);
    assertThat(order(q)).as("a queued write below it").containsExactly("version", "delete");
  }

  @Test
  void aCommitThatStaysInOrderHoldsBackLaterAheadOnesThatShareItsNodes() {
    WriteQueue<C> q = new WriteQueue<>(100);
    q.offer(put("status", "/services/instances/a.1"), false);
    q.offer(put("scale-a", "/services/instances/a.1", "/services/apps/a"), true); // stays in order
    q.offer(put("update-a", "/services/apps/a"), true); // shares /services/apps/a with scale-a
    q.offer(put("create-b", "/services/apps/b"), true);
    assertThat(order(q)).containsExactly("create-b", "status", "scale-a", "update-a");
  }

  @Test
  void aBatchHoldsOneLaneOnlyAndStaysWithinItsLimits() throws Exception {
    WriteQueue<C> q = new WriteQueue<>(100);
    for (int i = 0; i < 5; i++) {
      q.offer(put("status-" + i, "/services/instances/a." + i), false);
    }
    q.offer(put("create-b", "/services/apps/b"), true);
    q.offer(put("create-c", "/services/apps/c"), true);
    assertThat(names(q.takeBatch(1, TimeUnit.SECONDS, 100, 1 << 20, c -> 1)))
        .as("the API writes alone, not in a multi with the backlog").containsExactly("create-b", "create-c");
    assertThat(names(q.takeBatch(1, TimeUnit.SECONDS, 3, 1 << 20, c -> 1)))
        .containsExactly("status-0", "status-1", "status-2");
    assertThat(names(q.takeBatch(1, TimeUnit.SECONDS, 100, 1, c -> 1))).as("one at least, even over the size")
        .containsExactly("status-3");
    assertThat(names(q.takeBatch(1, TimeUnit.SECONDS, 100, 1 << 20, c -> 1))).containsExactly("status-4");
    assertThat(q.takeBatch(1, TimeUnit.MILLISECONDS, 100, 1 << 20, c -> 1)).isEmpty();
  }

  private static List<String> names(List<C> batch) {
    return batch.stream().map(C::name).toList();
  }

  @Test
  void boundedAndWaitsForWork() throws Exception {
    WriteQueue<C> q = new WriteQueue<>(2);
    assertThat(q.offer(put("1", "/x/1"), false)).isTrue();
    assertThat(q.offer(put("2", "/x/2"), true)).isTrue();
    assertThat(q.offer(put("3", "/x/3"), false)).isFalse();
    assertThat(q.poll(1, TimeUnit.MILLISECONDS).name()).isEqualTo("2");
    assertThat(q.poll().name()).isEqualTo("1");
    assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
    assertThat(q.offer(put("4", "/x/1"), true)).as("taken commits no longer hold anything back").isTrue();
    assertThat(q.poll().name()).isEqualTo("4");
  }

  @Test
  void itCountsWhatWaitsInBothLanesAndRefusesPastItsCapacity() {
    WriteQueue<C> q = new WriteQueue<>(3);
    assertThat(q.offer(put("status-1", "/services/instances/a.1"), false)).isTrue();
    assertThat(q.offer(put("create-b", "/services/apps/b"), true)).isTrue();
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.offer(put("status-2", "/services/instances/a.2"), false)).isTrue();
    assertThat(q.offer(put("status-3", "/services/instances/a.3"), false)).isFalse();
    assertThat(order(q)).containsExactly("create-b", "status-1", "status-2");
    assertThat(q.size()).isZero();
  }
}

package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.common.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The index agents wait on changes with the VIP routes only, and a waiter wakes on the change. */
class VipWatchTest {
  private final RecordTableBuilder builder = new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress());

  private static DiscoveredApp app(int... ports) {
    List<DiscoveredApp.Task> tasks = new ArrayList<>();
    for (int p : ports) {
      tasks.add(new DiscoveredApp.Task("web." + p, "h", "127.0.0.1", List.of(p), true, null));
    }
    return new DiscoveredApp("/web", List.of(new DiscoveredApp.Port(0, null, "udp,tcp",
        List.of(new Vip("web", 80)))), false, tasks);
  }

  @Test
  void theIndexMovesOnlyWhenTheRoutesChangeAndWakesWaiters() throws Exception {
    VipWatch watch = new VipWatch(new FakeClock(Instant.ofEpochMilli(1_000)));
    long first = watch.current().index();
    watch.accept(builder.build(1, List.of(app(31000))));
    long second = watch.current().index();
    assertThat(second).isNotEqualTo(first);
    assertThat(watch.current().routes()).extracting(r -> r.protocol()).containsExactly("tcp", "udp");

    // a rebuild with the same routes (a new generation) is no change
    watch.accept(builder.build(2, List.of(app(31000))));
    assertThat(watch.current().index()).isEqualTo(second);

    // an index that is not the current one is answered at once; the current one waits for a change
    assertThat(watch.after(first, Duration.ofSeconds(30))).isCompleted();
    CompletableFuture<VipWatch.Snapshot> waiting = watch.after(second, Duration.ofSeconds(30));
    assertThat(waiting).isNotDone();
    watch.accept(builder.build(3, List.of(app(31000, 31001))));
    assertThat(waiting).isCompleted();
    assertThat(waiting.get().routes().get(0).backends()).hasSize(2);
  }
}

package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.services.engine.ServicePaths;
import org.junit.jupiter.api.Test;

/** Apps too large for one store request: ZooKeeper refuses requests over 1 MB. */
class LargeAppTest {
  @Test
  void tenThousandInstancesPlacedAtOnceAreStoredInSeveralCommits() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/big\", \"cmd\": \"sleep 1000\", \"cpus\": 0.001, \"mem\": 1, \"instances\": 10000,"
        + " \"portDefinitions\": []}");
    assertThat(h.store.get(ServicePaths.app("/big"))).isPresent();
    int before = h.store.commitCount();

    h.offers(Offers.offer("o1", "host-a").cpus(100).mem(100_000).build());
    h.runAll();

    assertThat(h.store.commitCount() - before).isGreaterThan(1);
    long stored = h.store.snapshot().keySet().stream()
        .filter(p -> p.startsWith(ServicePaths.INSTANCES + "/")).count();
    assertThat(stored).isEqualTo(10_000);
    assertThat(h.driver.launchedTasks()).hasSize(10_000);
  }
}

package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.services.engine.ServicePaths;
import org.junit.jupiter.api.Test;

/** Apps too large for one store request: ZooKeeper refuses requests over 1 MB. */
class LargeAppTest {
  @Test
  void anAppOfTenThousandInstancesIsStoredInSeveralCommits() {
    Harness h = Harness.running();
    int before = h.store.commitCount();

    h.create("{\"id\": \"/big\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 32, \"instances\": 10000}");

    assertThat(h.store.commitCount() - before).isGreaterThan(1);
    long stored = h.store.snapshot().keySet().stream()
        .filter(p -> p.startsWith(ServicePaths.INSTANCES + "/")).count();
    assertThat(stored).isEqualTo(10_000);
    assertThat(h.store.get(ServicePaths.app("/big"))).isPresent();
  }
}

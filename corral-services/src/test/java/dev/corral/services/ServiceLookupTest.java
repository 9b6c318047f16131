package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.services.engine.ServiceTargets;
import org.junit.jupiter.api.Test;

/** The gateway's question "which tasks serve /service/NAME/?", answered from the name index. */
class ServiceLookupTest {
  private static String app(String id, String name) {
    return "{\"id\": \"" + id + "\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16,"
        + " \"labels\": {\"DCOS_SERVICE_NAME\": \"" + name + "\"}}";
  }

  @Test
  void followsLabelsAsAppsAreCreatedRelabelledAndDeleted() {
    Harness h = Harness.running();
    h.create(app("/ui/a", "web"));
    h.create(app("/ui/b", "web"));
    h.create(app("/other", "api"));
    h.create("{\"id\": \"/plain\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16}");
    assertThat(targets(h, "web").appIds()).containsExactly("/ui/a", "/ui/b");
    assertThat(targets(h, "api").appIds()).containsExactly("/other");

    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    assertThat(targets(h, "web").serving()).extracting(ServiceTargets.Target::appId)
        .containsExactlyInAnyOrder("/ui/a", "/ui/b");

    h.update("/ui/b", app("/ui/b", "admin"));
    assertThat(targets(h, "web").appIds()).containsExactly("/ui/a");
    assertThat(targets(h, "admin").appIds()).containsExactly("/ui/b");

    h.delete("/ui/a");
    assertThat(targets(h, "web").appIds()).isEmpty();
    assertThat(targets(h, "nothing").appIds()).isEmpty();
  }

  private static ServiceTargets targets(Harness h, String name) {
    return h.await(h.scheduler.serviceTargets(name));
  }
}

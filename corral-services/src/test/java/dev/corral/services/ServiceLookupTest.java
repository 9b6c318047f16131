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

  @Test
  void aRepeatedLookupIsAnsweredWithoutTheLoopUntilATaskOfThatNameChanges() {
    Harness h = Harness.running();
    h.create(app("/ui/a", "web"));
    h.create(app("/other", "api"));
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();
    ServiceTargets first = targets(h, "web");
    assertThat(first.serving()).hasSize(1);
    targets(h, "api");

    // answered at once from the published copy: the loop is not run
    assertThat(h.scheduler.serviceTargets("web")).isCompletedWithValue(first);

    // a change of another name's task leaves this one published; a change of its own drops it
    h.status(targets(h, "api").targets().get(0).taskId(), dev.corral.api.v1.TaskState.TASK_FAILED);
    assertThat(h.scheduler.serviceTargets("web")).isCompletedWithValue(first);
    assertThat(h.scheduler.serviceTargets("api")).isNotDone();
    h.status(first.targets().get(0).taskId(), dev.corral.api.v1.TaskState.TASK_KILLED);
    assertThat(h.scheduler.serviceTargets("web")).isNotDone();
    h.loop.runPending();
    assertThat(targets(h, "web").serving()).isEmpty();

    // names no app carries are not kept: asking for random names cannot fill memory
    assertThat(targets(h, "nothing").appIds()).isEmpty();
    assertThat(h.scheduler.serviceTargets("nothing")).isNotDone();
  }

  private static ServiceTargets targets(Harness h, String name) {
    return h.await(h.scheduler.serviceTargets(name));
  }
}

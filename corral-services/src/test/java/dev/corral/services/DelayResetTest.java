package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.TaskState;
import dev.corral.services.engine.CommandException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** DELETE /v2/queue/{id}/delay through the scheduler: the backoff ends and offers are asked for at once. */
class DelayResetTest {

  private static Harness failedOnce() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/crash", "cmd": "exit 1", "cpus": 0.1, "mem": 16, "backoffSeconds": 600, "backoffFactor": 2}""");
    h.offers(Offers.big("o1", "host-a"));
    h.status(h.driver.launchedTasks().get(0).getTaskId(), TaskState.TASK_FAILED);
    h.offers(Offers.big("o2", "host-a"));
    assertThat(h.driver.launches()).as("delayed by the backoff").hasSize(1);
    assertThat(h.view().backoff("/crash").failures()).isEqualTo(1);
    return h;
  }

  @Test
  void resettingTheDelayRevivesOffersAndTheNextOfferLaunches() {
    Harness h = failedOnce();
    int revives = h.driver.revives();

    h.await(h.scheduler.resetDelay("/crash"));
    h.loop.advance(dev.corral.services.engine.Engine.MIN_REVIVE_INTERVAL);

    assertThat(h.driver.revives()).as("filters set while delayed are lifted").isEqualTo(revives + 1);
    assertThat(h.view().backoff("/crash").failures()).isZero();
    assertThat(h.view().waitingReason("/crash")).doesNotContain("backoff");
    h.offers(Offers.big("o3", "host-a"));
    assertThat(h.driver.launches()).hasSize(2);
  }

  @Test
  void theFailureCountStartsAgain() {
    Harness h = failedOnce();
    h.await(h.scheduler.resetDelay("crash"));
    h.offers(Offers.big("o3", "host-a"));
    h.status(h.driver.launchedTasks().get(1).getTaskId(), TaskState.TASK_FAILED);

    assertThat(h.view().backoff("/crash").delay()).as("the first delay again, not the doubled one")
        .isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void onlyAnAppWithWaitingInstancesHasADelayToReset() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/ok\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16}");
    h.offers(Offers.big("o1", "host-a"));
    h.runAll();

    assertThatThrownBy(() -> h.await(h.scheduler.resetDelay("/ok")))
        .isInstanceOfSatisfying(CommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(CommandException.Kind.NOT_FOUND);
          assertThat(e.getMessage()).isEqualTo("Application /ok not found in tasks queue.");
        });
    assertThatThrownBy(() -> h.await(h.scheduler.resetDelay("/nope")))
        .hasMessage("Application /nope not found in tasks queue.");
  }
}

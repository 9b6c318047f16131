package dev.corral.cli.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueCommandTest {
  /** A Corral entry (with waitingReason) and a plain Marathon one (reason from the statistics), out of order. */
  static final String QUEUE = """
      {"queue": [
        {"app": {"id": "/tools/datadog-agent", "instances": 5}, "count": 2,
         "delay": {"timeLeftSeconds": 0, "overdue": true}, "since": "2016-02-28T16:41:41.090Z",
         "processedOffersSummary": {"processedOffersCount": 4, "unusedOffersCount": 4,
           "rejectSummaryLastOffers": [
             {"reason": "UnfulfilledRole", "declined": 0, "processed": 4},
             {"reason": "UnfulfilledConstraint", "declined": 3, "processed": 4},
             {"reason": "InsufficientCpus", "declined": 1, "processed": 1}]}},
        {"app": {"id": "/big", "instances": 1}, "count": 1,
         "delay": {"timeLeftSeconds": 305, "overdue": false}, "since": "2024-05-01T10:00:00.000Z",
         "processedOffersSummary": {"processedOffersCount": 1, "unusedOffersCount": 1},
         "waitingReason": "no offer matched; the last said: needs mem 4096 MB,\\nthe offer from host-a has 1024 MB"}
      ]}
      """;

  private FakeMarathon marathon;

  @BeforeEach
  void start() throws Exception {
    marathon = new FakeMarathon();
  }

  @AfterEach
  void stop() {
    marathon.close();
  }

  @Test
  void listsWaitingAppsWithTheirDelayAndReason() {
    marathon.on("GET", "/v2/queue", 200, QUEUE);

    Result result = CliRun.run("queue", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "APP                   WAITING  DELAY  SINCE                     REASON\n"
        + "/big                  1        5m05s  2024-05-01T10:00:00.000Z  no offer matched; the last said: needs mem"
        + " 4096 MB, the offer from host-a has 1024 MB\n"
        + "/tools/datadog-agent  2        -      2016-02-28T16:41:41.090Z  UnfulfilledConstraint (3 of 4 offers)\n");
  }

  @Test
  void anEmptyQueueIsJustTheHeader() {
    marathon.on("GET", "/v2/queue", 200, "{\"queue\": []}");
    assertThat(CliRun.run("queue", "--url", marathon.url()).out()).isEqualTo("APP  WAITING  DELAY  SINCE  REASON\n");
  }

  @Test
  void jsonPrintsTheApiAnswer() throws Exception {
    marathon.on("GET", "/v2/queue", 200, QUEUE);
    Result result = CliRun.run("queue", "--json", "--url", marathon.url());
    assertThat(result.exitCode()).isZero();
    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(QUEUE));
  }
}

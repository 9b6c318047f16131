package dev.corral.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppDebugCommandTest {
  private static final String APP_PATH = "/v2/apps/web?embed=apps.lastTaskFailure";
  private static final String QUEUE_PATH = "/v2/queue?embed=lastUnusedOffers";

  private static final String APP = """
      {"app": {"id": "/web", "cmd": "x", "instances": 3,
        "lastTaskFailure": {"appId": "/web", "host": "host-b", "state": "TASK_FAILED",
          "message": "Command exited with status 1", "taskId": "web.1", "timestamp": "2024-05-01T09:59:00.000Z"}}}
      """;

  private static final String WEB_ENTRY = """
      {"app": {"id": "/web", "instances": 3}, "count": 1,
       "delay": {"timeLeftSeconds": 0, "overdue": true}, "since": "2024-05-01T10:00:00.000Z",
       "processedOffersSummary": {"processedOffersCount": 7, "unusedOffersCount": 3,
         "lastUnusedOfferAt": "2024-05-01T10:00:09.000Z", "lastUsedOfferAt": "2024-05-01T10:00:01.000Z",
         "rejectSummaryLastOffers": [
           {"reason": "UnfulfilledRole", "declined": 0, "processed": 3},
           {"reason": "UnfulfilledConstraint", "declined": 2, "processed": 3},
           {"reason": "NoCorrespondingReservationFound", "declined": 0, "processed": 1},
           {"reason": "AgentMaintenance", "declined": 1, "processed": 1},
           {"reason": "InsufficientCpus", "declined": 0, "processed": 0}]},
       "lastUnusedOffers": [
         {"offer": {"id": "o9", "agentId": "a2", "hostname": "host-b", "resources": [], "attributes": []},
          "timestamp": "2024-05-01T10:00:09.000Z", "reason": ["UnfulfilledConstraint", "InsufficientMemory"]},
         {"offer": {"id": "o8", "agentId": "a1", "hostname": "host-a", "resources": [], "attributes": []},
          "timestamp": "2024-05-01T10:00:08.000Z", "reason": ["UnfulfilledConstraint"]},
         {"offer": {"id": "o7", "agentId": "a3", "hostname": "host-c", "resources": [], "attributes": []},
          "timestamp": "2024-05-01T10:00:07.000Z", "reason": ["AgentMaintenance", "InsufficientPorts"]}],
       "waitingReason": "no offer matched; the last said: constraint [hostname, UNIQUE] is not met on host-b"}
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
  void showsTheSummaryTheChecksPerAgentAndTheLastFailure() {
    marathon.on("GET", APP_PATH, 200, APP);
    marathon.on("GET", QUEUE_PATH, 200, "{\"queue\": [{\"app\": {\"id\": \"/other\"}, \"count\": 1}, " + WEB_ENTRY + "]}");

    Result result = CliRun.run("app", "debug", "web", "--url", marathon.url());

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "APP:      /web\n"
        + "WAITING:  1 since 2024-05-01T10:00:00.000Z\n"
        + "DELAY:    -\n"
        + "REASON:   no offer matched; the last said: constraint [hostname, UNIQUE] is not met on host-b\n"
        + "OFFERS:   7 processed, 3 unused (last unused 2024-05-01T10:00:09.000Z, last used 2024-05-01T10:00:01.000Z)\n"
        + "\n"
        + "Last offers by reason (one per agent, each counted under its first failed check):\n"
        + "REASON                           DECLINED  PROCESSED\n"
        + "UnfulfilledRole                  0         3\n"
        + "UnfulfilledConstraint            2         3\n"
        + "NoCorrespondingReservationFound  0         1\n"
        + "AgentMaintenance                 1         1\n"
        + "InsufficientCpus                 0         0\n"
        + "\n"
        + "Last unused offer per agent:\n"
        + "HOST    ROLE  CONSTRAINT  CPU  MEM  DISK  PORT  RECEIVED                  OTHER\n"
        + "host-a  ✓     ✗           ✓    ✓    ✓     ✓     2024-05-01T10:00:08.000Z  -\n"
        + "host-b  ✓     ✗           ✓    ✗    ✓     ✓     2024-05-01T10:00:09.000Z  -\n"
        + "host-c  ✓     ✓           ✓    ✓    ✓     ✗     2024-05-01T10:00:07.000Z  AgentMaintenance\n"
        + "\n"
        + "LAST FAILURE:  TASK_FAILED on host-b at 2024-05-01T09:59:00.000Z: Command exited with status 1\n");
  }

  @Test
  void anAppWithNothingWaitingSaysSo() {
    marathon.on("GET", "/v2/apps/ok?embed=apps.lastTaskFailure", 200, "{\"app\": {\"id\": \"/ok\", \"instances\": 1}}");
    marathon.on("GET", QUEUE_PATH, 200, "{\"queue\": []}");

    Result result = CliRun.run("app", "debug", "/ok", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("APP:      /ok\nWAITING:  0 (no instance is waiting for an offer)\n");
  }

  @Test
  void withoutUnusedOffersTheTableIsReplacedByASentence() {
    marathon.on("GET", APP_PATH, 200, "{\"app\": {\"id\": \"/web\"}}");
    marathon.on("GET", QUEUE_PATH, 200, """
        {"queue": [{"app": {"id": "/web"}, "count": 2, "delay": {"timeLeftSeconds": 12}, "since": "s",
          "processedOffersSummary": {"processedOffersCount": 0, "unusedOffersCount": 0}, "lastUnusedOffers": [],
          "waitingReason": "launch delayed by backoff after 1 consecutive task failure(s); next attempt in 12 s"}]}
        """);

    Result result = CliRun.run("app", "debug", "/web", "--url", marathon.url());

    assertThat(result.out()).contains("DELAY:    12s\n").contains("REASON:   launch delayed by backoff")
        .endsWith("REASON  DECLINED  PROCESSED\n\nNo unused offers yet.\n");
  }

  @Test
  void jsonPrintsTheQueueEntryOrNull() throws Exception {
    marathon.on("GET", APP_PATH, 200, APP);
    marathon.on("GET", QUEUE_PATH, 200, "{\"queue\": [" + WEB_ENTRY + "]}");
    Result result = CliRun.run("app", "debug", "/web", "--json", "--url", marathon.url());
    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(WEB_ENTRY));

    marathon.on("GET", QUEUE_PATH, 200, "{\"queue\": []}");
    assertThat(CliRun.run("app", "debug", "/web", "--json", "--url", marathon.url()).out()).isEqualTo("null\n");
  }

  @Test
  void anUnknownAppIsTheApisError() {
    marathon.on("GET", "/v2/apps/nope?embed=apps.lastTaskFailure", 404, "{\"message\": \"App '/nope' does not exist\"}");

    Result result = CliRun.run("app", "debug", "nope", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: App '/nope' does not exist (404)\n");
  }
}

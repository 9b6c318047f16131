package dev.corral.cli.deployment;

import static dev.corral.cli.deployment.DeploymentShapes.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code deployment list}, {@code rollback} and {@code stop}: what is sent and what is printed. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeploymentCommandsTest {
  private static final String ROLLBACK_ID = "5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43";
  private static final String ROLLBACK_ANSWER =
      "{\"deploymentId\": \"" + ROLLBACK_ID + "\", \"version\": \"2015-09-29T15:59:51.164Z\"}";

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
  void listShowsOneAlignedRowPerDeploymentOldestFirst() {
    marathon.on("GET", "/v2/deployments", 200, """
        [{"id": "dep-new", "version": "2024-05-01T10:00:00.000Z", "affectedApps": ["/web"], "affectedPods": [],
          "steps": [{"actions": [{"action": "RestartApplication", "app": "/web"}]}],
          "currentActions": [], "currentStep": 0, "totalSteps": 1},
         %s]
        """.formatted(DeploymentShapes.listed(1).substring(1, DeploymentShapes.listed(1).length() - 1)));

    Result result = CliRun.run("deployment", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "ID                                    APPS/PODS  ACTIONS             PROGRESS  STARTED\n"
        + ID + "  /foo,/bla  ScaleApplication    1/2       2015-09-30T09:09:17.614Z\n"
        + "dep-new                               /web       RestartApplication  0/1       2024-05-01T10:00:00.000Z\n");
  }

  @Test
  void listWithNothingInProgressPrintsOnlyTheHeader() {
    marathon.on("GET", "/v2/deployments", 200, "[]");

    Result result = CliRun.run("deployment", "list", "--url", marathon.url());

    assertThat(result.out()).isEqualTo("ID  APPS/PODS  ACTIONS  PROGRESS  STARTED\n");
  }

  @Test
  void listJsonPrintsTheApiAnswer() throws Exception {
    marathon.on("GET", "/v2/deployments", 200, DeploymentShapes.listed(2));

    Result result = CliRun.run("deployment", "list", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(DeploymentShapes.listed(2)));
  }

  @Test
  void rollbackDeletesTheDeploymentAndPrintsTheRollbackDeployment() {
    marathon.on("DELETE", "/v2/deployments/" + ID, 200, ROLLBACK_ANSWER);

    Result result = CliRun.run("deployment", "rollback", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(
        "Rolling back deployment " + ID + ": the rollback is deployment " + ROLLBACK_ID + "\n");
    assertThat(marathon.requests()).singleElement()
        .satisfies(r -> assertThat(r.method() + " " + r.uri()).isEqualTo("DELETE /v2/deployments/" + ID));
  }

  @Test
  void rollbackWithWaitFollowsTheRollbackDeployment() {
    marathon.on("DELETE", "/v2/deployments/" + ID, 200, ROLLBACK_ANSWER);
    marathon.onSequence("GET", "/v2/deployments", "[{\"id\": \"" + ROLLBACK_ID + "\", \"currentStep\": 1,"
        + " \"totalSteps\": 1, \"currentActions\": [{\"action\": \"ScaleApplication\", \"app\": \"/foo\"}]}]", "[]");

    Result result = CliRun.run("deployment", "rollback", ID, "--wait", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Rolling back deployment " + ID + ": the rollback is deployment " + ROLLBACK_ID + "\n"
        + "Deployment " + ROLLBACK_ID + ": step 1/1 ScaleApplication /foo\n"
        + "Deployment " + ROLLBACK_ID + " finished\n");
  }

  @Test
  void rollbackJsonPrintsTheApiAnswer() throws Exception {
    marathon.on("DELETE", "/v2/deployments/" + ID, 200, ROLLBACK_ANSWER);

    Result result = CliRun.run("deployment", "rollback", ID, "--json", "--url", marathon.url());

    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(ROLLBACK_ANSWER));
  }

  @Test
  void anUnknownDeploymentIsTheServersMessage() {
    marathon.on("DELETE", "/v2/deployments/nope", 404, "{\"message\": \"DeploymentPlan nope does not exist\"}");

    Result result = CliRun.run("deployment", "rollback", "nope", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: DeploymentPlan nope does not exist (404)\n");
  }

  @Test
  void stopCancelsWithForceAndRevertsNothing() {
    marathon.on("DELETE", "/v2/deployments/" + ID + "?force=true", 202, "");

    Result result = CliRun.run("deployment", "stop", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Stopped deployment " + ID + " (nothing was reverted)\n");
    assertThat(marathon.requests()).singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo("/v2/deployments/" + ID + "?force=true"));
  }

  @Test
  void stopJsonPrintsAnEmptyObjectForTheEmptyAnswer() {
    marathon.on("DELETE", "/v2/deployments/" + ID + "?force=true", 202, "");

    Result result = CliRun.run("deployment", "stop", ID, "--json", "--url", marathon.url());

    assertThat(result.out()).isEqualTo("{ }\n");
  }
}

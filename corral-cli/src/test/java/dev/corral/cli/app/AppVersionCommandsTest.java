package dev.corral.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.common.Json;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code app restart}, {@code app versions} and {@code app rollback}. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppVersionCommandsTest {
  private static final String DEPLOYED = "{\"deploymentId\": \"dep-3\", \"version\": \"2024-05-02T00:00:00.000Z\"}";

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
  void restartPostsToTheRestartRoute() {
    marathon.on("POST", "/v2/apps/prod/web/restart", 200, DEPLOYED);

    Result result = CliRun.run("app", "restart", "/prod/web", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Restarting app /prod/web (deployment dep-3)\n");
    assertThat(marathon.requests()).singleElement()
        .satisfies(r -> assertThat(r.method() + " " + r.uri()).isEqualTo("POST /v2/apps/prod/web/restart"));
  }

  @Test
  void restartWithForceAndWait() {
    marathon.on("POST", "/v2/apps/web/restart?force=true", 200, Map.of("Marathon-Deployment-Id", "dep-4"),
        DEPLOYED);
    marathon.onSequence("GET", "/v2/deployments", """
        [{"id": "dep-4", "currentStep": 1, "totalSteps": 1,
          "currentActions": [{"action": "RestartApplication", "app": "/web"}]}]
        """, "[]");

    Result result = CliRun.run("app", "restart", "web", "--force", "--wait", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Restarting app /web (deployment dep-4)\n"
        + "Deployment dep-4: step 1/1 RestartApplication /web\n"
        + "Deployment dep-4 finished\n");
  }

  @Test
  void versionsAreListedNewestFirst() {
    marathon.on("GET", "/v2/apps/web/versions", 200, """
        {"versions": ["2024-05-01T10:00:00.000Z", "2024-05-03T08:00:00.000Z", "2024-05-02T09:30:00.000Z"]}
        """);

    Result result = CliRun.run("app", "versions", "web", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "VERSION\n"
        + "2024-05-03T08:00:00.000Z\n"
        + "2024-05-02T09:30:00.000Z\n"
        + "2024-05-01T10:00:00.000Z\n");
  }

  @Test
  void oneVersionShowsThatDefinitionsFields() {
    marathon.on("GET", "/v2/apps/web/versions/2024-05-01T10:00:00.000Z", 200, """
        {"id": "/web", "cmd": "sleep 100", "instances": 2, "cpus": 0.1, "mem": 32, "disk": 0,
         "version": "2024-05-01T10:00:00.000Z"}
        """);

    Result result = CliRun.run("app", "versions", "web", "2024-05-01T10:00:00.000Z", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "ID:         /web\n"
        + "CMD:        sleep 100\n"
        + "INSTANCES:  2 requested\n"
        + "CPUS:       0.1\n"
        + "MEM:        32 MiB\n"
        + "DISK:       0 MiB\n"
        + "VERSION:    2024-05-01T10:00:00.000Z\n");
  }

  @Test
  void oneVersionAsJsonIsTheWholeDefinition() throws Exception {
    String definition = "{\"id\": \"/web\", \"cmd\": \"sleep 100\", \"healthChecks\": [], \"version\": \"v1\"}";
    marathon.on("GET", "/v2/apps/web/versions/v1", 200, definition);

    Result result = CliRun.run("app", "versions", "web", "v1", "--json", "--url", marathon.url());

    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(definition));
  }

  @Test
  void aVersionThatWouldChangeTheUrlIsAUsageError() {
    Result result = CliRun.run("app", "versions", "web", "../../tasks", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("invalid version '../../tasks': expected a timestamp such as "
        + "2015-09-30T09:09:17.614Z (see 'corral app versions ID')");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void rollbackPutsOnlyTheVersion() throws Exception {
    marathon.on("PUT", "/v2/apps/web", 200, DEPLOYED);

    Result result = CliRun.run("app", "rollback", "web", "2024-05-01T10:00:00.000Z", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo("Rolling back app /web to version 2024-05-01T10:00:00.000Z (deployment dep-3)\n");
    assertThat(Json.mapper().readTree(marathon.requests().get(0).body()))
        .isEqualTo(Json.mapper().readTree("{\"version\": \"2024-05-01T10:00:00.000Z\"}"));
  }

  @Test
  void rollbackToAnUnknownVersionIsTheServersMessage() {
    marathon.on("PUT", "/v2/apps/web?force=true", 404,
        "{\"message\": \"Version 2000-01-01T00:00:00.000Z of app /web does not exist\"}");

    Result result = CliRun.run("app", "rollback", "web", "2000-01-01T00:00:00.000Z", "--force",
        "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: Version 2000-01-01T00:00:00.000Z of app /web does not exist (404)\n");
  }

  @Test
  void addWithWaitFollowsTheCreatedAppsDeployment() {
    marathon.on("POST", "/v2/apps", 201, Map.of("Marathon-Deployment-Id", "dep-5"), "{\"id\": \"/sleep\"}");
    marathon.onSequence("GET", "/v2/deployments", "[{\"id\": \"dep-5\", \"currentStep\": 1, \"totalSteps\": 1,"
        + " \"currentActions\": [{\"action\": \"StartApplication\", \"app\": \"/sleep\"}]}]", "[]");

    Result result = CliRun.run(Map.of(), "{\"id\": \"sleep\", \"cmd\": \"sleep 1000\"}", "app", "add", "-",
        "--wait", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Created app /sleep (deployment dep-5)\n"
        + "Deployment dep-5: step 1/1 StartApplication /sleep\n"
        + "Deployment dep-5 finished\n");
  }

  @Test
  void waitWithoutADeploymentIdSaysThereIsNothingToWaitFor() {
    marathon.on("POST", "/v2/apps", 201, "{\"id\": \"/sleep\"}");

    Result result = CliRun.run(Map.of(), "{\"id\": \"sleep\"}", "app", "add", "-", "--wait",
        "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Created app /sleep\n");
    assertThat(result.err())
        .isEqualTo("note: the server named no deployment for this change, so there is nothing to wait for\n");
  }

  @Test
  void aConflictOnACommandWithoutForceOnlySuggestsWaiting() {
    marathon.on("POST", "/v2/apps", 409, "{\"message\": \"locked\", \"deployments\": [{\"id\": \"dep-1\"}]}");

    Result result = CliRun.run(Map.of(), "{\"id\": \"sleep\"}", "app", "add", "-", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(""
        + "error: locked (409)\n"
        + "  in progress: deployment dep-1\n"
        + "  wait for it: corral deployment watch dep-1\n");
  }
}

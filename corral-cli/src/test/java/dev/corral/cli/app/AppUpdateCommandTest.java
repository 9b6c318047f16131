package dev.corral.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.cli.FakeMarathon.Request;
import dev.corral.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code app update}: a file or KEY=VALUE pairs become a partial PUT. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppUpdateCommandTest {
  private static final String UPDATED =
      "{\"deploymentId\": \"5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43\", \"version\": \"2015-09-29T15:59:51.164Z\"}";
  // The shape of Marathon's app_patch.json example, oddly spaced: it must go out as written.
  private static final String PATCH = "{\n  \"id\": \"/foo\",\n  \"instances\": 2\n}\n";

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
  void aFileIsPutAsWritten(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("patch.json");
    Files.writeString(file, PATCH);
    marathon.on("PUT", "/v2/apps/foo", 200, UPDATED);

    Result result = CliRun.run("app", "update", "foo", file.toString(), "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("Updating app /foo (deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43)\n");
    Request sent = marathon.requests().get(0);
    assertThat(sent.method() + " " + sent.uri()).isEqualTo("PUT /v2/apps/foo");
    assertThat(sent.contentType()).isEqualTo("application/json");
    assertThat(sent.body()).isEqualTo(PATCH);
  }

  @Test
  void dashReadsStdinAndForceAddsTheQueryParameter() {
    marathon.on("PUT", "/v2/apps/foo?force=true", 200, UPDATED);

    Result result = CliRun.run(Map.of(), PATCH, "app", "update", "/foo", "-", "--force", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(marathon.requests()).singleElement().extracting(Request::body).isEqualTo(PATCH);
  }

  @Test
  void pairsBuildThePartialBodyWithTypedValues() throws Exception {
    marathon.on("PUT", "/v2/apps/prod/web", 200, UPDATED);

    Result result = CliRun.run("app", "update", "prod/web", "instances=3", "cpus=0.5", "mem=128", "disk=0",
        "gpus=1", "cmd=python3 -m http.server $PORT0", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(marathon.requests()).singleElement().satisfies(r -> {
      assertThat(r.uri()).isEqualTo("/v2/apps/prod/web");
      assertThat(Json.mapper().readTree(r.body())).isEqualTo(Json.mapper().readTree("""
          {"instances": 3, "cpus": 0.5, "mem": 128.0, "disk": 0.0, "gpus": 1.0,
           "cmd": "python3 -m http.server $PORT0"}
          """));
    });
  }

  @Test
  void envAndLabelPairsKeepTheOtherEntriesOfTheMap() throws Exception {
    // Marathon replaces a top-level field as a whole, so the whole env goes out with one entry changed.
    marathon.on("GET", "/v2/apps/web", 200, """
        {"app": {"id": "/web", "env": {"KEEP": "me", "LOG_LEVEL": "info", "DB_PASSWORD": {"secret": "db"}},
                 "labels": {"team": "web"}}}
        """);
    marathon.on("PUT", "/v2/apps/web", 200, UPDATED);

    Result result = CliRun.run("app", "update", "web", "env.LOG_LEVEL=debug", "env.NEW=", "labels.tier=front",
        "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(marathon.requests()).extracting(r -> r.method() + " " + r.uri())
        .containsExactly("GET /v2/apps/web", "PUT /v2/apps/web");
    assertThat(Json.mapper().readTree(marathon.requests().get(1).body())).isEqualTo(Json.mapper().readTree("""
        {"env": {"KEEP": "me", "LOG_LEVEL": "debug", "DB_PASSWORD": {"secret": "db"}, "NEW": ""},
         "labels": {"team": "web", "tier": "front"}}
        """));
  }

  @Test
  void anUnsupportedKeyIsAUsageErrorThatPointsToFiles() {
    Result result = CliRun.run("app", "update", "web", "healthChecks=[]", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("cannot set 'healthChecks' with KEY=VALUE (it sets instances, cpus, mem,"
        + " disk, gpus, cmd, env.NAME and labels.NAME); put other changes in a JSON file: corral app update ID FILE\n"
        + "Usage: corral app update");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void badValuesAreUsageErrorsNamingTheField() {
    Result cpus = CliRun.run("app", "update", "web", "cpus=lots", "--url", marathon.url());
    Result instances = CliRun.run("app", "update", "web", "instances=1.5", "--url", marathon.url());
    Result env = CliRun.run("app", "update", "web", "env.=x", "--url", marathon.url());

    assertThat(cpus.exitCode()).isEqualTo(2);
    assertThat(cpus.err()).startsWith("cpus must be a number of 0 or more, got 'lots'\n");
    assertThat(instances.err()).startsWith("instances must be a whole number of 0 or more, got '1.5'\n");
    assertThat(env.err()).startsWith("'env.=x' names no env entry: use env.NAME=VALUE\n");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void aFileAndPairsTogetherAreAUsageError() {
    Result result = CliRun.run("app", "update", "web", "instances=2", "patch.json", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith(
        "give either one FILE (or -) or KEY=VALUE pairs, not both; 'patch.json' is not KEY=VALUE\n");
  }

  @Test
  void nothingToChangeIsAUsageError() {
    Result result = CliRun.run("app", "update", "web", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required parameter: 'FILE|-|KEY=VALUE'");
  }

  @Test
  void jsonPrintsTheApiAnswer() throws Exception {
    marathon.on("PUT", "/v2/apps/web", 200, UPDATED);

    Result result = CliRun.run("app", "update", "web", "instances=1", "--json", "--url", marathon.url());

    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(UPDATED));
  }

  @Test
  void aConflictNamesTheDeploymentsAndSuggestsWatchOrForce() {
    marathon.on("PUT", "/v2/apps/web", 409, """
        {"message": "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
         "deployments": [{"id": "97c136bf-5a28-4821-9d94-480d9fbb01c8"}, {"id": "dep-2"}]}
        """);

    Result result = CliRun.run("app", "update", "web", "instances=1", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).endsWith("(409)\n"
        + "  in progress: deployment 97c136bf-5a28-4821-9d94-480d9fbb01c8\n"
        + "  in progress: deployment dep-2\n"
        + "  wait for it: corral deployment watch 97c136bf-5a28-4821-9d94-480d9fbb01c8\n"
        + "  wait for it: corral deployment watch dep-2\n"
        + "  or cancel it and go ahead: repeat with --force\n");
  }

  @Test
  void waitFollowsTheDeploymentAfterTheConfirmation() {
    marathon.on("PUT", "/v2/apps/web", 200, "{\"deploymentId\": \"dep-1\", \"version\": \"v\"}");
    marathon.onSequence("GET", "/v2/deployments", """
        [{"id": "dep-1", "currentStep": 1, "totalSteps": 1,
          "currentActions": [{"action": "RestartApplication", "app": "/web"}]}]
        """, "[]");

    Result result = CliRun.run("app", "update", "web", "cpus=1", "--wait", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Updating app /web (deployment dep-1)\n"
        + "Deployment dep-1: step 1/1 RestartApplication /web\n"
        + "Deployment dep-1 finished\n");
  }

  @Test
  void waitExitsOneWhenTheDeploymentFails() {
    marathon.on("PUT", "/v2/apps/web", 200, "{\"deploymentId\": \"dep-1\", \"version\": \"v\"}");
    marathon.on("GET", "/v2/deployments", 200, "[{\"id\": \"dep-1\", \"affectedApps\": [\"/web\"],"
        + " \"currentStep\": 1, \"totalSteps\": 1, \"currentActions\": []}]");
    marathon.onEventStream(dev.corral.cli.deployment.DeploymentShapes.EVENTS_PATH,
        dev.corral.cli.deployment.DeploymentShapes.event("deployment_failed",
            "{\"eventType\": \"deployment_failed\", \"id\": \"dep-1\"}"), true);

    Result result = CliRun.run("app", "update", "web", "cpus=1", "--wait", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEqualTo(""
        + "Updating app /web (deployment dep-1)\n"
        + "Deployment dep-1: step 1/1\n");
    assertThat(result.err()).isEqualTo(""
        + "error: deployment dep-1 failed\n"
        + "  see why: corral app show /web\n");
  }

  @Test
  void waitWithJsonKeepsStdoutJson() throws Exception {
    marathon.on("PUT", "/v2/apps/web", 200, "{\"deploymentId\": \"dep-1\", \"version\": \"v\"}");
    marathon.onSequence("GET", "/v2/deployments", "[{\"id\": \"dep-1\"}]", "[]");

    Result result = CliRun.run("app", "update", "web", "cpus=1", "--wait", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(Json.mapper().readTree(result.out()))
        .isEqualTo(Json.mapper().readTree("{\"deploymentId\": \"dep-1\", \"version\": \"v\"}"));
  }
}

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
import org.junit.jupiter.api.io.TempDir;

/** add, scale and remove: what is sent, and the confirmation line. */
class AppWriteCommandsTest {
  // Deliberately oddly formatted: the CLI must post the file as written, not a re-serialized copy.
  private static final String DEFINITION = "{ \"id\": \"sleep\",\n  \"cmd\": \"sleep 1000\", \"instances\": 1 }\n";
  private static final String CREATED = """
      {"id": "/sleep", "cmd": "sleep 1000", "instances": 1, "cpus": 1, "mem": 128,
       "deployments": [{"id": "dep-from-body"}]}
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
  void addPostsTheFileAsWrittenAndConfirmsWithTheDeploymentHeader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sleep.json");
    Files.writeString(file, DEFINITION);
    marathon.on("POST", "/v2/apps", 201, Map.of("Marathon-Deployment-Id", "dep-from-header"), CREATED);

    Result result = CliRun.run("app", "add", file.toString(), "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("Created app /sleep (deployment dep-from-header)\n");
    Request sent = marathon.requests().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/v2/apps");
    assertThat(sent.contentType()).isEqualTo("application/json");
    assertThat(sent.body()).isEqualTo(DEFINITION);
  }

  @Test
  void addReadsTheDefinitionFromStdinWithDash() {
    marathon.on("POST", "/v2/apps", 201, CREATED);

    Result result = CliRun.run(Map.of("CORRAL_URL", marathon.url()), DEFINITION, "app", "add", "-");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Created app /sleep (deployment dep-from-body)\n");
    assertThat(marathon.requests()).singleElement().extracting(Request::body).isEqualTo(DEFINITION);
  }

  @Test
  void addRejectsInvalidJsonLocallyWithItsPosition() {
    Result result = CliRun.run(Map.of(), "{\"id\": \"x\",\n  oops }", "app", "add", "-", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("error: <stdin> is not valid JSON at line 2, column 3: ").hasLineCount(1);
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void addOfAMissingFileIsOneErrorLine(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");

    Result result = CliRun.run("app", "add", missing.toString(), "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: cannot read app definition " + missing + ": no such file\n");
  }

  @Test
  void aValidationFailurePrintsTheMessageThenEachPathAndError() {
    marathon.on("POST", "/v2/apps", 422, """
        {"message": "Object is not valid",
         "details": [{"path": "/cpus", "errors": ["error.min"]},
                     {"path": "/id", "errors": ["error.pattern", "error.path.missing"]}]}
        """);

    Result result = CliRun.run(Map.of(), "{\"id\": \"Bad Id\", \"cpus\": -1}", "app", "add", "-",
        "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(""
        + "error: Object is not valid (422)\n"
        + "  /cpus: error.min\n"
        + "  /id: error.pattern\n"
        + "  /id: error.path.missing\n");
  }

  @Test
  void scalePutsOnlyTheInstanceCount() throws Exception {
    marathon.on("PUT", "/v2/apps/prod/web", 200,
        "{\"version\": \"2024-05-01T10:00:00.000Z\", \"deploymentId\": \"dep-7\"}");

    Result result = CliRun.run("app", "scale", "prod/web", "5", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Scaling app /prod/web to 5 instances (deployment dep-7)\n");
    Request sent = marathon.requests().get(0);
    assertThat(sent.method()).isEqualTo("PUT");
    assertThat(sent.uri()).isEqualTo("/v2/apps/prod/web");
    assertThat(sent.contentType()).isEqualTo("application/json");
    assertThat(Json.mapper().readTree(sent.body())).isEqualTo(Json.mapper().readTree("{\"instances\": 5}"));
  }

  @Test
  void scaleWithForceAddsTheQueryParameter() {
    marathon.on("PUT", "/v2/apps/web?force=true", 200, "{\"deploymentId\": \"dep-8\"}");

    Result result = CliRun.run("app", "scale", "/web", "1", "--force", "--url", marathon.url());

    assertThat(result.out()).isEqualTo("Scaling app /web to 1 instance (deployment dep-8)\n");
  }

  @Test
  void scaleToANegativeCountIsAUsageErrorAndSendsNothing() {
    Result result = CliRun.run("app", "scale", "web", "--url", marathon.url(), "--", "-1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("N must be 0 or more, got -1\nUsage: corral app scale");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void scaleToANonNumberIsAUsageError() {
    Result result = CliRun.run("app", "scale", "web", "many", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'many' is not an int").contains("Usage: corral app scale");
  }

  @Test
  void removeDeletesTheAppAndPrefersTheDeploymentHeader() {
    marathon.on("DELETE", "/v2/apps/prod/web", 200, Map.of("Marathon-Deployment-Id", "dep-9"),
        "{\"version\": \"v\", \"deploymentId\": \"dep-from-body\"}");

    Result result = CliRun.run("app", "remove", "/prod/web", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Removing app /prod/web (deployment dep-9)\n");
    assertThat(marathon.requests()).singleElement()
        .satisfies(r -> assertThat(r.method() + " " + r.uri()).isEqualTo("DELETE /v2/apps/prod/web"));
  }

  @Test
  void aConflictingDeploymentNamesTheDeploymentAndSaysHowToWaitOrForce() {
    marathon.on("DELETE", "/v2/apps/web", 409, """
        {"message": "App is locked by one or more deployments. Override with the option '?force=true'.",
         "deployments": [{"id": "dep-1"}]}
        """);

    Result result = CliRun.run("app", "remove", "web", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: App is locked by one or more deployments. "
        + "Override with the option '?force=true'. (409)\n"
        + "  in progress: deployment dep-1\n"
        + "  wait for it: corral deployment watch dep-1\n"
        + "  or cancel it and go ahead: repeat with --force\n");
  }
}

package dev.corral.cli.deployment;

import static dev.corral.cli.deployment.DeploymentShapes.EVENTS_PATH;
import static dev.corral.cli.deployment.DeploymentShapes.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code deployment watch}: event stream first, polling when there is none, the outcome as the exit code. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeploymentWatchCommandTest {
  private static final String LIST = "/v2/deployments";

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
  void followsTheEventStreamStepByStepUntilSuccess() {
    marathon.onEventStream(EVENTS_PATH, DeploymentShapes.otherDeploymentSucceeded()
        + DeploymentShapes.successEvents(), true);
    marathon.on("GET", LIST, 200, DeploymentShapes.listed(1));

    Result result = CliRun.run("deployment", "watch", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "Deployment " + ID + ": step 1/2 ScaleApplication /foo (ready 0/1)\n"
        + "Deployment " + ID + ": step 1/2 ScaleApplication /foo\n"
        + "Deployment " + ID + ": step 1/2 ScaleApplication /foo done\n"
        + "Deployment " + ID + ": step 2/2 ScalePod /bla\n"
        + "Deployment " + ID + ": step 2/2 ScalePod /bla done\n"
        + "Deployment " + ID + " finished\n");
    assertThat(marathon.requests("GET", EVENTS_PATH)).singleElement()
        .satisfies(r -> assertThat(r.accept()).isEqualTo("text/event-stream"));
  }

  @Test
  void aFailedDeploymentExitsOneWithTheReasonAndWhereToLook() {
    marathon.onEventStream(EVENTS_PATH, DeploymentShapes.failureEvents("Readiness check failed"), true);
    marathon.on("GET", LIST, 200, DeploymentShapes.listed(1));

    Result result = CliRun.run("deployment", "watch", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).endsWith("Deployment " + ID + ": step 1/2 ScaleApplication /foo failed\n");
    assertThat(result.err()).isEqualTo(""
        + "error: deployment " + ID + " failed: Readiness check failed\n"
        + "  see why: corral app show /foo\n"
        + "  see why: corral pod status /bla\n");
  }

  @Test
  void withoutAnEventStreamItPollsTheDeploymentListUntilTheDeploymentIsGone() {
    // No route for /v2/events: the fake answers 404, like a server without the stream.
    marathon.onSequence("GET", LIST, DeploymentShapes.listed(1), DeploymentShapes.listed(1),
        DeploymentShapes.listed(2), "[]");
    RecordingSleeper sleeper = new RecordingSleeper();

    Result result = CliRun.run(new WatchSettings(false, sleeper, java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(5)), Map.of(), "", "deployment", "watch", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Deployment " + ID + ": step 1/2 ScaleApplication /foo (ready 0/1)\n"
        + "Deployment " + ID + ": step 2/2 ScalePod /bla\n"
        + "Deployment " + ID + " finished\n");
    assertThat(marathon.requests("GET", LIST)).hasSize(4);
    assertThat(sleeper.pauses()).containsExactly(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(1));
  }

  @Test
  void anAnswerThatIsNotAnEventStreamCountsAsNoStream() {
    marathon.on("GET", EVENTS_PATH, 200, "{\"message\": \"use Accept: text/event-stream\"}");
    marathon.onSequence("GET", LIST, DeploymentShapes.listed(2), "[]");

    Result result = CliRun.run("deployment", "watch", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).endsWith("Deployment " + ID + " finished\n");
  }

  @Test
  void whenTheStreamEndsEarlyTheWatchGoesOnByPolling() {
    marathon.onEventStream(EVENTS_PATH, DeploymentShapes.event("deployment_info", "not json"), false);
    marathon.onSequence("GET", LIST, DeploymentShapes.listed(1), DeploymentShapes.listed(2), "[]");

    Result result = CliRun.run("deployment", "watch", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Deployment " + ID + ": step 1/2 ScaleApplication /foo (ready 0/1)\n"
        + "Deployment " + ID + ": step 2/2 ScalePod /bla\n"
        + "Deployment " + ID + " finished\n");
  }

  @Test
  void aQuietStreamDoesNotHangTheWatchOnceTheDeploymentLeavesTheList() {
    // Events flow, but none about deployments: the list is rechecked when the stream has been quiet a while.
    marathon.onEventStream(EVENTS_PATH, DeploymentShapes.event("event_stream_attached",
        "{\"eventType\":\"event_stream_attached\"}"), true);
    marathon.onSequence("GET", LIST, DeploymentShapes.listed(1), "[]");

    Result result = CliRun.run("deployment", "watch", ID, "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).endsWith("Deployment " + ID + " finished\n");
  }

  @Test
  void aDeploymentThatIsNotInProgressIsReportedAsSuch() {
    marathon.on("GET", LIST, 200, "[]");

    Result result = CliRun.run("deployment", "watch", "dep-gone", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Deployment dep-gone is not in progress\n");
  }

  @Test
  void aDeploymentStartedByAWriteThatIsAlreadyGoneFinished() {
    marathon.on("PUT", "/v2/apps/web", 200, "{\"deploymentId\": \"dep-quick\"}");
    marathon.on("GET", LIST, 200, "[]");

    Result result = CliRun.run("app", "scale", "web", "0", "--wait", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Scaling app /web to 0 instances (deployment dep-quick)\n"
        + "Deployment dep-quick finished\n");
  }

  @Test
  void onATerminalTheProgressLineIsRewrittenInPlace() {
    marathon.onSequence("GET", LIST, DeploymentShapes.listed(1), DeploymentShapes.listed(2), "[]");

    Result result = CliRun.runOnTerminal("deployment", "watch", ID, "--url", marathon.url());

    String rewrite = "\r\u001b[K";
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + rewrite + ("Deployment " + ID + ": step 1/2 ScaleApplication /foo (ready 0/1)").substring(0, 76) + "..."
        + rewrite + "Deployment " + ID + ": step 2/2 ScalePod /bla"
        + rewrite + "Deployment " + ID + " finished\n");
  }

  @Test
  void withoutAnIdTheOnlyDeploymentInProgressIsWatched() {
    marathon.onSequence("GET", LIST, DeploymentShapes.listed(2), DeploymentShapes.listed(2), "[]");

    Result result = CliRun.run("deployment", "watch", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "Deployment " + ID + ": step 2/2 ScalePod /bla\n"
        + "Deployment " + ID + " finished\n");
  }

  @Test
  void withoutAnIdAndNothingInProgressThereIsNothingToWatch() {
    marathon.on("GET", LIST, 200, "[]");

    Result result = CliRun.run("deployment", "watch", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("No deployments in progress.\n");
  }

  @Test
  void withoutAnIdAndSeveralInProgressTheUserIsAskedToNameOne() {
    marathon.on("GET", LIST, 200, "[{\"id\": \"dep-a\"}, {\"id\": \"dep-b\"}]");

    Result result = CliRun.run("deployment", "watch", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(""
        + "error: 2 deployments are in progress; name the one to watch\n"
        + "  corral deployment watch dep-a\n"
        + "  corral deployment watch dep-b\n");
  }

  @Test
  void anIdThatWouldChangeTheUrlIsAUsageError() {
    Result result = CliRun.run("deployment", "watch", "../apps", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Invalid value for positional parameter at index 0 (ID): "
        + "invalid deployment id '../apps'");
    assertThat(marathon.requests()).isEmpty();
  }
}

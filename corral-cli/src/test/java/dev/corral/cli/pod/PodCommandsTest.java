package dev.corral.cli.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import dev.corral.cli.FakeMarathon.Request;
import dev.corral.common.Json;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code pod} commands against answers shaped like Marathon's pod.json and PodStatus. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PodCommandsTest {
  // After the API's pod.json example, cut to what the commands read.
  private static final String POD = """
      {"id": "/foo", "labels": {"owner": "zeus", "note": "Away from olympus"}, "version": "2017-01-01T00:00:00.000Z",
       "scaling": {"kind": "fixed", "instances": 2, "maxInstances": 888},
       "containers": [
         {"name": "container1", "exec": {"command": {"shell": "sleep 100"}},
          "resources": {"cpus": 1, "mem": 128, "disk": 0, "gpus": 0},
          "image": {"id": "mesosphere/marathon:latest", "kind": "DOCKER"}},
         {"name": "sidecar", "exec": {"command": {"argv": ["envoy", "-c", "/etc/envoy.yaml"]}},
          "resources": {"cpus": 0.25, "mem": 64.0, "disk": 10}}]}
      """;
  private static final String STATUS = """
      {"id": "/foo", "spec": %s, "status": "DEGRADED", "statusSince": "2017-01-01T00:01:00.000Z",
       "message": "1 of 2 instances is staging",
       "instances": [
         {"id": "foo.instance-b", "status": "STAGING", "statusSince": "2017-01-01T00:01:00.000Z",
          "agentHostname": "agent-2", "containers": [{"name": "container1", "status": "TASK_STAGING"},
                                                     {"name": "sidecar", "status": "TASK_STAGING"}]},
         {"id": "foo.instance-a", "status": "STABLE", "statusSince": "2017-01-01T00:00:30.000Z",
          "agentHostname": "agent-1", "containers": [{"name": "container1", "status": "TASK_RUNNING"},
                                                     {"name": "sidecar", "status": "TASK_RUNNING"}]}],
       "lastUpdated": "2017-01-01T00:01:00.000Z", "lastChanged": "2017-01-01T00:01:00.000Z"}
      """.formatted(POD);

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
  void addPostsTheDefinitionAsWritten() {
    marathon.on("POST", "/v2/pods", 201, Map.of("Marathon-Deployment-Id", "dep-1"), POD);

    Result result = CliRun.run(Map.of(), POD, "pod", "add", "-", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Created pod /foo (deployment dep-1)\n");
    Request sent = marathon.requests().get(0);
    assertThat(sent.method() + " " + sent.uri()).isEqualTo("POST /v2/pods");
    assertThat(sent.body()).isEqualTo(POD);
  }

  @Test
  void listShowsRunningOverDesiredStatusAndContainers() {
    marathon.on("GET", "/v2/pods/::status", 200, "[" + STATUS + ", {\"id\": \"/bar\", \"status\": \"STABLE\","
        + " \"spec\": {\"id\": \"/bar\", \"containers\": [{\"name\": \"main\"}]},"
        + " \"instances\": [{\"id\": \"bar.instance-1\", \"status\": \"STABLE\"}]}]");

    Result result = CliRun.run("pod", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "ID    INSTANCES  STATUS    CONTAINERS\n"
        + "/bar  1/1        STABLE    main\n"
        + "/foo  1/2        DEGRADED  container1,sidecar\n");
  }

  @Test
  void listFallsBackToTheDefinitionsWhereThereIsNoStatusRoute() throws Exception {
    marathon.on("GET", "/v2/pods", 200, "[" + POD + "]");

    Result table = CliRun.run("pod", "list", "--url", marathon.url());
    Result json = CliRun.run("pod", "list", "--json", "--url", marathon.url());

    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).isEqualTo(""
        + "ID    INSTANCES  CONTAINERS\n"
        + "/foo  2          container1,sidecar\n");
    assertThat(Json.mapper().readTree(json.out())).isEqualTo(Json.mapper().readTree("[" + POD + "]"));
  }

  @Test
  void listJsonPrintsTheStatuses() throws Exception {
    marathon.on("GET", "/v2/pods/::status", 200, "[" + STATUS + "]");

    Result result = CliRun.run("pod", "list", "--json", "--url", marathon.url());

    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree("[" + STATUS + "]"));
  }

  @Test
  void showSummarizesTheDefinition() {
    marathon.on("GET", "/v2/pods/foo", 200, POD);

    Result result = CliRun.run("pod", "show", "foo", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "ID:         /foo\n"
        + "INSTANCES:  2\n"
        + "VERSION:    2017-01-01T00:00:00.000Z\n"
        + "LABELS:     note=Away from olympus, owner=zeus\n"
        + "\n"
        + "Containers:\n"
        + "NAME        CPUS  MEM  DISK  RUNS\n"
        + "container1  1     128  0     image mesosphere/marathon:latest: sleep 100\n"
        + "sidecar     0.25  64   10    envoy -c /etc/envoy.yaml\n");
  }

  @Test
  void statusShowsThePodAndEachInstance() {
    marathon.on("GET", "/v2/pods/foo::status", 200, STATUS);

    Result result = CliRun.run("pod", "status", "/foo", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "ID:         /foo\n"
        + "STATUS:     DEGRADED since 2017-01-01T00:01:00.000Z\n"
        + "INSTANCES:  2 of 2\n"
        + "MESSAGE:    1 of 2 instances is staging\n"
        + "\n"
        + "Instances:\n"
        + "INSTANCE        STATUS   AGENT    CONTAINERS                                     SINCE\n"
        + "foo.instance-a  STABLE   agent-1  container1 TASK_RUNNING, sidecar TASK_RUNNING  2017-01-01T00:00:30.000Z\n"
        + "foo.instance-b  STAGING  agent-2  container1 TASK_STAGING, sidecar TASK_STAGING  2017-01-01T00:01:00.000Z\n");
  }

  @Test
  void statusJsonPrintsTheApiAnswer() throws Exception {
    marathon.on("GET", "/v2/pods/foo::status", 200, STATUS);

    Result result = CliRun.run("pod", "status", "foo", "--json", "--url", marathon.url());

    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(STATUS));
  }

  @Test
  void anUnknownPodIsTheServersMessage() {
    marathon.on("GET", "/v2/pods/nope::status", 404, "{\"message\": \"Pod '/nope' does not exist\"}");

    Result result = CliRun.run("pod", "status", "nope", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: Pod '/nope' does not exist (404)\n");
  }

  @Test
  void updatePutsTheWholeDefinitionWithForce() {
    marathon.on("PUT", "/v2/pods/foo?force=true", 200, Map.of("Marathon-Deployment-Id", "dep-2"), POD);

    Result result = CliRun.run(Map.of(), POD, "pod", "update", "foo", "-", "--force", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Updating pod /foo (deployment dep-2)\n");
    assertThat(marathon.requests()).singleElement().extracting(Request::body).isEqualTo(POD);
  }

  @Test
  void removeReadsTheDeploymentFromTheHeaderOfTheEmptyAnswer() {
    marathon.on("DELETE", "/v2/pods/foo", 202, Map.of("X-Marathon-Deployment-Id", "dep-3"), "");

    Result result = CliRun.run("pod", "remove", "foo", "--url", marathon.url());
    Result json = CliRun.run("pod", "remove", "foo", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Removing pod /foo (deployment dep-3)\n");
    assertThat(json.out()).isEqualTo("{\n  \"deploymentId\" : \"dep-3\"\n}\n");
  }

  @Test
  void anInvalidPodIdIsAUsageError() {
    Result result = CliRun.run("pod", "show", "a b", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Invalid value for positional parameter at index 0 (ID): "
        + "invalid pod id '/a b'");
  }
}

package dev.corral.cli.group;

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

/** The {@code group} commands against Marathon-shaped answers (after the API's group.json example). */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupCommandsTest {
  private static final String EMBED = "embed=group.groups&embed=group.apps&embed=group.pods";
  private static final String DEPLOYED =
      "{\"deploymentId\": \"5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43\", \"version\": \"2015-09-29T15:59:51.164Z\"}";

  // The root with /tools (two apps) holding /tools/log (empty) and /tools/docker (one app); children are out of
  // order on purpose, and an older server's group without "pods".
  private static final String ROOT = """
      {"id": "/", "apps": [], "pods": [], "dependencies": [], "version": "2015-09-17T10:38:20.875Z",
       "groups": [
         {"id": "/tools", "dependencies": [], "version": "2015-09-17T10:38:20.875Z", "pods": [],
          "apps": [
            {"id": "/tools/oauth-server", "instances": 2, "cpus": 1, "mem": 1024, "disk": 0,
             "container": {"type": "DOCKER", "docker": {"image": "docker-registry/oauth_server:6d7d463"}}},
            {"id": "/tools/datadog-agent", "instances": 5, "cpus": 1, "mem": 512, "disk": 0,
             "container": {"type": "DOCKER", "docker": {"image": "datadog/docker-dd-agent:latest"}}}],
          "groups": [
            {"id": "/tools/log", "apps": [], "groups": [], "dependencies": [], "version": "2015-09-17T10:38:20.875Z"},
            {"id": "/tools/docker", "groups": [], "dependencies": ["/tools/log"], "version": "2015-09-17T10:38:20.875Z",
             "apps": [{"id": "/tools/docker/registry", "instances": 1, "cpus": 0.5, "mem": 4096, "disk": 0,
                       "tasksRunning": 1, "container": {"type": "DOCKER", "docker": {"image": "registry"}}}],
             "pods": [{"id": "/tools/docker/cache", "scaling": {"kind": "fixed", "instances": 2},
                       "containers": [{"name": "redis"}, {"name": "exporter"}]}]}]}]}
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
  void listPrintsTheTreeIndentedWithAppAndPodCounts() {
    marathon.on("GET", "/v2/groups?" + EMBED, 200, ROOT);

    Result result = CliRun.run("group", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(""
        + "GROUP              APPS  PODS\n"
        + "/                  0     0\n"
        + "  /tools           2     0\n"
        + "    /tools/docker  1     1\n"
        + "    /tools/log     0     -\n");
  }

  @Test
  void listJsonPrintsTheRootGroup() throws Exception {
    marathon.on("GET", "/v2/groups?" + EMBED, 200, ROOT);

    Result result = CliRun.run("group", "list", "--json", "--url", marathon.url());

    assertThat(Json.mapper().readTree(result.out())).isEqualTo(Json.mapper().readTree(ROOT));
  }

  @Test
  void showPrintsTheGroupItsAppsAndPods() throws Exception {
    String docker = Json.mapper().readTree(ROOT).path("groups").path(0).path("groups").path(1).toString();
    marathon.on("GET", "/v2/groups/tools/docker?" + EMBED + "&embed=group.apps.counts", 200, docker);

    Result result = CliRun.run("group", "show", "tools/docker", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "ID:            /tools/docker\n"
        + "VERSION:       2015-09-17T10:38:20.875Z\n"
        + "DEPENDENCIES:  /tools/log\n"
        + "GROUPS:        -\n"
        + "\n"
        + "Apps:\n"
        + "ID                      INSTANCES  CPUS  MEM   DISK  CMD\n"
        + "/tools/docker/registry  1/1        0.5   4096  0     image registry\n"
        + "\n"
        + "Pods:\n"
        + "ID                   INSTANCES  CONTAINERS\n"
        + "/tools/docker/cache  2          redis,exporter\n");
  }

  @Test
  void showOfAGroupWithOnlyChildGroupsSaysSo() throws Exception {
    marathon.on("GET", "/v2/groups?" + EMBED + "&embed=group.apps.counts", 200, ROOT);

    Result result = CliRun.run("group", "show", "/", "--url", marathon.url());

    assertThat(result.out()).isEqualTo(""
        + "ID:            /\n"
        + "VERSION:       2015-09-17T10:38:20.875Z\n"
        + "DEPENDENCIES:  -\n"
        + "GROUPS:        /tools\n"
        + "\n"
        + "No apps or pods directly in this group.\n");
  }

  @Test
  void addPostsTheFileAsWritten(@TempDir Path dir) throws Exception {
    String definition = "{\"id\": \"/product\", \"apps\": [{\"id\": \"web\", \"cmd\": \"sleep 1\"}]}\n";
    Path file = dir.resolve("group.json");
    Files.writeString(file, definition);
    marathon.on("POST", "/v2/groups", 201, DEPLOYED);

    Result result = CliRun.run("group", "add", file.toString(), "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Created group /product (deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43)\n");
    Request sent = marathon.requests().get(0);
    assertThat(sent.method() + " " + sent.uri()).isEqualTo("POST /v2/groups");
    assertThat(sent.body()).isEqualTo(definition);
  }

  @Test
  void addOfSomethingThatIsNotAnObjectIsRefusedLocally() {
    Result result = CliRun.run(Map.of(), "[1, 2]", "group", "add", "-", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: <stdin> must hold one JSON object (a Marathon group definition)\n");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void addOfAnExistingGroupIsTheServersMessageWithoutDeploymentHints() {
    marathon.on("POST", "/v2/groups", 409,
        "{\"message\": \"Group /product is already created. Use PUT to change this group.\"}");

    Result result = CliRun.run(Map.of(), "{\"id\": \"/product\"}", "group", "add", "-", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("error: Group /product is already created. Use PUT to change this group. (409)\n");
  }

  @Test
  void updatePutsTheFileToTheGroupWithForce() {
    String definition = "{\"id\": \"/product\", \"apps\": []}";
    marathon.on("PUT", "/v2/groups/product?force=true", 200, DEPLOYED);

    Result result = CliRun.run(Map.of(), definition, "group", "update", "product", "-", "--force",
        "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Updating group /product (deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43)\n");
    assertThat(marathon.requests()).singleElement().extracting(Request::body).isEqualTo(definition);
  }

  @Test
  void scalePutsScaleBy() throws Exception {
    marathon.on("PUT", "/v2/groups/product", 200, DEPLOYED);
    marathon.on("PUT", "/v2/groups/big", 200, DEPLOYED);

    Result result = CliRun.run("group", "scale", "/product", "1.50", "--url", marathon.url());
    Result ten = CliRun.run("group", "scale", "/big", "10", "--json", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Scaling group /product by 1.5 (deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43)\n");
    assertThat(marathon.requests().get(0).body()).isEqualTo("{\"scaleBy\":1.5}");
    assertThat(marathon.requests().get(1).body()).isEqualTo("{\"scaleBy\":10}");
    assertThat(Json.mapper().readTree(ten.out())).isEqualTo(Json.mapper().readTree(DEPLOYED));
  }

  @Test
  void scaleByANegativeFactorIsAUsageError() {
    Result result = CliRun.run("group", "scale", "/product", "--url", marathon.url(), "--", "-2");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("FACTOR must be 0 or more, got -2\n");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void removeDeletesTheGroup() {
    marathon.on("DELETE", "/v2/groups/product?force=true", 200, DEPLOYED);

    Result result = CliRun.run("group", "remove", "product", "--force", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Removing group /product (deployment 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43)\n");
  }

  @Test
  void removingTheRootGroupIsRefused() {
    Result result = CliRun.run("group", "remove", "/", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith(
        "refusing to remove the root group / (that is every app); remove its groups one by one\n");
    assertThat(marathon.requests()).isEmpty();
  }

  @Test
  void aLockedGroupNamesTheDeploymentInTheWay() {
    marathon.on("PUT", "/v2/groups/product", 409, """
        {"message": "Group is locked by one or more deployments.", "deployments": [{"id": "dep-9"}]}
        """);

    Result result = CliRun.run("group", "scale", "product", "2", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(""
        + "error: Group is locked by one or more deployments. (409)\n"
        + "  in progress: deployment dep-9\n"
        + "  wait for it: corral deployment watch dep-9\n"
        + "  or cancel it and go ahead: repeat with --force\n");
  }
}

package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package manager end to end on `corral up`: a repository added through the CLI, a package installed with
 * options, running and discoverable, refused installs that leave nothing behind, and an uninstall that stops
 * everything the install created.
 */
class PackageIT {
  private static final String CONFIG = """
      {"type": "object", "additionalProperties": false, "properties": {
        "service": {"type": "object", "properties": {
          "name": {"type": "string", "default": "hello", "description": "the app id"}}},
        "hello": {"type": "object", "additionalProperties": false, "properties": {
          "count": {"type": "integer", "minimum": 1, "default": 1, "description": "how many servers"},
          "mem": {"type": "number", "default": 64}}}}}
      """;
  // A web server on its port, with an HTTP health check, that records what discovery says about it.
  private static final String TEMPLATE = """
      {"id": "{{service.name}}", "instances": {{hello.count}}, "cpus": 0.1, "mem": {{hello.mem}},
       "cmd": "echo \\"discovery: $CORRAL_URL\\" && exec python3 -m http.server $PORT0 --bind 127.0.0.1",
       "portDefinitions": [{"port": 0, "name": "http"}],
       "healthChecks": [{"protocol": "HTTP", "path": "/", "portIndex": 0, "gracePeriodSeconds": 30, "intervalSeconds": 1}],
       "labels": {"DCOS_SERVICE_NAME": "{{service.name}}"}}
      """;

  @TempDir
  static Path dir;
  static SingleNode node;
  static Marathon api;

  @BeforeAll
  static void start() throws Exception {
    Path revision = Files.createDirectories(dir.resolve("repo/packages/hello/3"));
    Files.writeString(revision.resolve("package.json"), """
        {"packagingVersion": "4.0", "name": "hello", "version": "1.2.0", "maintainer": "dev@corral.dev",
         "description": "A tiny web server", "tags": ["web"], "framework": false,
         "preInstallNotes": "hello needs python3 on the agents.", "postInstallNotes": "hello is being installed."}
        """);
    Files.writeString(revision.resolve("config.json"), CONFIG);
    Files.writeString(revision.resolve("marathon.json.mustache"), TEMPLATE);
    node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 5);
    api = node.api;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void installRunUninstallAndRefusals() throws Exception {
    CorralProcess.Result repos = cli("package", "repo", "list");
    assertThat(repos.output()).contains("Universe").contains("packages");
    assertThat(cli("package", "repo", "add", "test", dir.resolve("repo").toUri().toString()).exitCode()).isZero();
    assertThat(cli("package", "search", "web").output()).contains("hello").contains("1.2.0");

    Path options = Files.writeString(dir.resolve("options.json"), "{\"service\": {\"name\": \"greeter\"}}");
    CorralProcess.Result installed = cli("package", "install", "hello", "--yes", "--options", options.toString());
    assertThat(installed.exitCode()).as(installed.output()).isZero();
    assertThat(installed.output()).contains("hello needs python3").contains("as /greeter")
        .contains("hello is being installed.");
    // the install waited for its deployment: the server is up and healthy now
    JsonNode app = api.get("/v2/apps/greeter").json().path("app");
    assertThat(app.path("tasksHealthy").asInt()).isEqualTo(1);
    assertThat(app.at("/labels/DCOS_PACKAGE_NAME").asText()).isEqualTo("hello");
    assertThat(app.at("/labels/DCOS_PACKAGE_VERSION").asText()).isEqualTo("1.2.0");
    String discovery = api.get("/v2/apps/greeter/tasks", "text/plain").body();
    assertThat(discovery).startsWith("greeter_").contains("\t127.0.0.1:");
    assertThat(cli("package", "list").output()).contains("/greeter").contains("hello").contains("1.2.0");

    CorralProcess.Result twice = cli("package", "install", "hello", "--yes", "--app-id", "greeter");
    assertThat(twice.exitCode()).isEqualTo(1);
    assertThat(twice.output()).contains("/greeter").contains("already exists");
    CorralProcess.Result unknown = cli("package", "install", "nope", "--yes");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.output()).contains("Package [nope] not found");
    assertThat(cli("package", "install", "hello", "--yes", "--package-version", "9").output())
        .contains("Version [9] of package [hello] not found");
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"hello\": {\"count\": 0}, \"extra\": 1}");
    CorralProcess.Result schema = cli("package", "install", "hello", "--yes", "--app-id", "other", "--options", bad.toString());
    assertThat(schema.exitCode()).isEqualTo(1);
    assertThat(schema.output()).contains("hello.count").contains("minimum").contains("extra");
    CorralProcess.Result broken = cli("package", "repo", "add", "broken", "http://127.0.0.1:1/repo.json");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.output()).contains("cannot reach repository");
    assertThat(api.get("/v2/apps").json().path("apps")).hasSize(1);

    CorralProcess.Result removed = cli("package", "uninstall", "hello", "--yes");
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    assertThat(removed.output()).contains("Uninstalled hello 1.2.0 (/greeter)");
    assertThat(api.get("/v2/apps/greeter").status()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v2/tasks").json().path("tasks").isEmpty());
    assertThat(cli("package", "list", "--json").output()).contains("\"packages\" : [ ]");
  }

  private static CorralProcess.Result cli(String... args) throws Exception {
    return node.cli(Duration.ofSeconds(60), args);
  }
}

package dev.corral.packages.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.corral.common.Json;
import dev.corral.packages.PackageManager;
import dev.corral.packages.repo.Repositories;
import dev.corral.state.MemoryStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cosmos API over a real HTTP server, a repository tree written by the test and an in-memory scheduler. */
class CosmosApiTest {
  private static final ObjectMapper JSON = Json.mapper();
  private static final String HELLO_CONFIG = """
      {"type": "object", "additionalProperties": false, "properties": {
        "service": {"type": "object", "properties": {"name": {"type": "string", "default": "hello"}}},
        "hello": {"type": "object", "additionalProperties": false, "properties": {
          "count": {"type": "integer", "minimum": 1, "default": 1, "description": "instances"},
          "greeting": {"type": "string", "default": "hi \\"there\\""}}}}}
      """;
  private static final String HELLO_TEMPLATE = """
      {"id": "{{service.name}}", "instances": {{hello.count}}, "cmd": "echo {{hello.greeting}}; sleep 1000",
       "cpus": 0.1, "mem": 32, "labels": {"DCOS_SERVICE_NAME": "{{service.name}}"}}
      """;

  @TempDir Path dir;
  private final InMemoryServices services = new InMemoryServices();
  private final HttpClient client = HttpClient.newHttpClient();
  private Javalin server;

  @BeforeEach
  void start() throws IOException {
    writePackage("hello", 0, "1.0.0", HELLO_CONFIG, HELLO_TEMPLATE);
    writePackage("hello", 1, "1.1.0", HELLO_CONFIG, HELLO_TEMPLATE);
    writePackage("duo", 0, "2.0", "{\"type\":\"object\",\"properties\":{\"service\":{\"type\":\"object\","
        + "\"properties\":{\"name\":{\"type\":\"string\",\"default\":\"duo\"}}}}}",
        "{\"id\": \"{{service.name}}\", \"apps\": [{\"id\": \"a\", \"cmd\": \"sleep 1\"}, {\"id\": \"b\", \"cmd\": \"sleep 1\"}]}");
    PackageManager manager = new PackageManager(new MemoryStore(), services,
        List.of(new Repositories.Entry("local", dir.toUri().toString())), Clock.systemUTC());
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      manager.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void searchDescribeAndListVersions() throws Exception {
    JsonNode search = post("/package/search", "{\"query\": \"hel\"}", 200);
    assertThat(search.path("packages")).hasSize(1);
    assertThat(search.at("/packages/0/currentVersion").asText()).isEqualTo("1.1.0");
    assertThat(search.at("/packages/0/versions/1.0.0").asText()).isEqualTo("0");
    assertThat(post("/package/search", "{}", 200).path("packages")).hasSize(2);

    JsonNode describe = post("/package/describe", "{\"packageName\": \"hello\", \"packageVersion\": \"1.0.0\"}", 200);
    assertThat(describe.at("/package/version").asText()).isEqualTo("1.0.0");
    String template = new String(Base64.getDecoder().decode(describe.at("/package/marathon/v2AppMustacheTemplate").asText()),
        StandardCharsets.UTF_8);
    assertThat(template).contains("{{hello.count}}");
    assertThat(describe.at("/package/config/properties/hello/properties/count/default").asInt()).isEqualTo(1);

    JsonNode versions = post("/package/list-versions", "{\"packageName\": \"hello\"}", 200);
    assertThat(versions.path("results").fieldNames()).toIterable().containsExactlyInAnyOrder("1.0.0", "1.1.0");
  }

  @Test
  void renderMergesDefaultsWithOptionsAndEscapesForJson() throws Exception {
    JsonNode rendered = post("/package/render", "{\"packageName\": \"hello\", \"options\": {\"hello\": {\"count\": 3}}}", 200);
    JsonNode app = rendered.path("marathonJson");
    assertThat(app.path("id").asText()).isEqualTo("/hello");
    assertThat(app.path("instances").asInt()).isEqualTo(3);
    assertThat(app.path("cmd").asText()).isEqualTo("echo hi \"there\"; sleep 1000");
    assertThat(app.at("/labels/DCOS_PACKAGE_NAME").asText()).isEqualTo("hello");
    assertThat(app.at("/labels/DCOS_PACKAGE_VERSION").asText()).isEqualTo("1.1.0");
    assertThat(services.apps).isEmpty();
  }

  @Test
  void installListAndUninstall() throws Exception {
    JsonNode installed = post("/package/install", "{\"packageName\": \"hello\", \"options\": {\"service\": {\"name\": \"greeter\"}}}", 200);
    assertThat(installed.path("appId").asText()).isEqualTo("/greeter");
    assertThat(installed.path("packageVersion").asText()).isEqualTo("1.1.0");
    assertThat(services.apps).containsOnlyKeys("/greeter");
    assertThat(services.apps.get("/greeter").at("/labels/DCOS_SERVICE_NAME").asText()).isEqualTo("greeter");

    JsonNode list = post("/package/list", "{}", 200);
    assertThat(list.at("/packages/0/appId").asText()).isEqualTo("/greeter");
    assertThat(list.at("/packages/0/packageInformation/packageDefinition/name").asText()).isEqualTo("hello");

    JsonNode again = post("/package/install", "{\"packageName\": \"hello\", \"appId\": \"greeter\"}", 409);
    assertThat(again.path("type").asText()).isEqualTo("PackageAlreadyInstalled");

    JsonNode removed = post("/package/uninstall", "{\"packageName\": \"hello\"}", 200);
    assertThat(removed.at("/results/0/appId").asText()).isEqualTo("/greeter");
    assertThat(services.apps).isEmpty();
    assertThat(post("/package/uninstall", "{\"packageName\": \"hello\"}", 400).path("type").asText())
        .isEqualTo("UninstallNonExistentAppForPackage");
  }

  @Test
  void groupedPackagesInstallAsOneGroupAndUninstallAsOne() throws Exception {
    JsonNode installed = post("/package/install", "{\"packageName\": \"duo\"}", 200);
    assertThat(installed.path("appId").asText()).isEqualTo("/duo");
    assertThat(services.apps).containsOnlyKeys("/duo/a", "/duo/b");
    assertThat(services.apps.get("/duo/b").at("/labels/CORRAL_PACKAGE_ROOT").asText()).isEqualTo("/duo");
    assertThat(post("/package/list", "{\"packageName\": \"duo\"}", 200).path("packages")).hasSize(1);
    post("/package/uninstall", "{\"packageName\": \"duo\"}", 200);
    assertThat(services.apps).isEmpty();
    assertThat(services.groups).isEmpty();
  }

  @Test
  void badInputIsAClearErrorAndInstallsNothing() throws Exception {
    JsonNode unknown = post("/package/install", "{\"packageName\": \"nope\"}", 400);
    assertThat(unknown.path("type").asText()).isEqualTo("PackageNotFound");
    assertThat(unknown.path("message").asText()).contains("nope");

    JsonNode version = post("/package/install", "{\"packageName\": \"hello\", \"packageVersion\": \"9.9\"}", 400);
    assertThat(version.path("type").asText()).isEqualTo("VersionNotFound");

    JsonNode schema = post("/package/install", "{\"packageName\": \"hello\", \"options\": {\"hello\": {\"count\": 0, \"colour\": \"red\"}}}", 400);
    assertThat(schema.path("type").asText()).isEqualTo("JsonSchemaMismatch");
    assertThat(schema.at("/data/errors")).anySatisfy(e -> {
      assertThat(e.path("path").asText()).isEqualTo("hello.count");
      assertThat(e.path("rule").asText()).isEqualTo("minimum");
    });
    assertThat(schema.at("/data/errors")).anySatisfy(e -> {
      assertThat(e.path("path").asText()).isEqualTo("hello.colour");
      assertThat(e.path("rule").asText()).isEqualTo("additionalProperties");
    });
    assertThat(post("/package/install", "{\"packageName\": 7}", 400).path("message").asText()).contains("packageName");
    assertThat(post("/package/install", "not json", 400).path("message").asText()).contains("not valid JSON");
    assertThat(services.apps).isEmpty();
  }

  @Test
  void repositoriesAreAddedAfterTheyLoadAndRemoved() throws Exception {
    HttpServer universe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] repo = ("{\"packages\": [{\"packagingVersion\": \"4.0\", \"name\": \"remote\", \"version\": \"0.1\","
        + " \"releaseVersion\": 3, \"description\": \"from a Universe server\", \"tags\": [\"x\"],"
        + " \"marathon\": {\"v2AppMustacheTemplate\": \""
        + Base64.getEncoder().encodeToString("{\"id\": \"remote\", \"cmd\": \"sleep 9\"}".getBytes(StandardCharsets.UTF_8))
        + "\"}}]}").getBytes(StandardCharsets.UTF_8);
    universe.createContext("/repo", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/vnd.dcos.universe.repo+json;version=v4");
      exchange.sendResponseHeaders(200, repo.length);
      exchange.getResponseBody().write(repo);
      exchange.close();
    });
    universe.start();
    try {
      String url = "http://127.0.0.1:" + universe.getAddress().getPort() + "/repo";
      JsonNode added = post("/package/repository/add", "{\"name\": \"remote\", \"uri\": \"" + url + "\"}", 200);
      assertThat(added.path("repositories")).hasSize(2);
      assertThat(post("/package/search", "{\"query\": \"universe server\"}", 200).at("/packages/0/name").asText())
          .isEqualTo("remote");
      assertThat(post("/package/repository/add", "{\"name\": \"remote\", \"uri\": \"" + url + "\"}", 409)
          .path("type").asText()).isEqualTo("RepositoryAlreadyPresent");
      post("/package/repository/delete", "{\"name\": \"remote\"}", 200);
      assertThat(post("/package/repository/list", "{}", 200).path("repositories")).hasSize(1);
    } finally {
      universe.stop(0);
    }

    JsonNode broken = post("/package/repository/add", "{\"name\": \"gone\", \"uri\": \"http://127.0.0.1:1/repo\"}", 400);
    assertThat(broken.path("type").asText()).isEqualTo("RepositoryUriConnection");
    assertThat(broken.path("message").asText()).contains("cannot reach repository");
    assertThat(post("/package/repository/add", "{\"name\": \"bad\", \"uri\": \"::\"}", 400).path("type").asText())
        .isEqualTo("RepositoryUriSyntax");
    assertThat(post("/package/repository/list", "{}", 200).path("repositories")).hasSize(1);
  }

  private void writePackage(String name, int revision, String version, String config, String template) throws IOException {
    Path d = Files.createDirectories(dir.resolve("packages").resolve(name).resolve(String.valueOf(revision)));
    Files.writeString(d.resolve("package.json"), "{\"packagingVersion\": \"4.0\", \"name\": \"" + name
        + "\", \"version\": \"" + version + "\", \"description\": \"the " + name + " package\", \"tags\": [],"
        + " \"maintainer\": \"dev@corral\", \"postInstallNotes\": \"" + name + " installed\"}");
    Files.writeString(d.resolve("config.json"), config);
    Files.writeString(d.resolve("marathon.json.mustache"), template);
  }

  private JsonNode post(String path, String body, int expectedStatus) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + body + " → " + response.body()).isEqualTo(expectedStatus);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.dcos.package.");
    return JSON.readTree(response.body());
  }
}

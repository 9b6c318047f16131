package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flagship demo on `corral up`, every part real: Kafka and Flink installed from the bundled catalog (their
 * binaries fetched with maven://), a second TaskManager adding its slots, the generator app writing
 * transactions, the Flink job submitted through the
 * Flink web UI's REST API at /service/flink/, the viewer printing fraud records read through the log API; then
 * both packages uninstalled and nothing left running. Prints the figures of docs/benchmarks.md.
 */
class FintransIT {
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final Path EXAMPLE = Path.of("..", "examples", "fintrans").toAbsolutePath().normalize();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dir;
  static SingleNode node;
  static Marathon api;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    node = SingleNode.start(dir, "cpus:8;mem:8192;disk:4096", 20);
    api = node.api;
    url = node.url;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void fraudRecordsFlowFromGeneratorThroughFlinkToTheViewerAndUninstallLeavesNothing() throws Exception {
    long kafkaStart = System.nanoTime();
    CorralProcess.Result kafka = cli("package", "install", "kafka", "--yes");
    assertThat(kafka.exitCode()).as(kafka.output()).isZero();
    String bootstrap = awaitNonEmpty(() -> endpoints("/kafka/brokers"));
    System.out.printf("figure: package install kafka -> broker healthy: %.1f s%n", seconds(kafkaStart));

    assertThat(cli("app", "add", example("generator.json").toString()).exitCode()).isZero();

    long flinkStart = System.nanoTime();
    CorralProcess.Result flink = cli("package", "install", "flink", "--yes", "--no-wait");
    assertThat(flink.exitCode()).as(flink.output()).isZero();
    awaitNonEmpty(() -> runningTask("/flink/jobmanager").isEmpty() || runningTask("/flink/taskmanager").isEmpty()
        ? "" : "running");
    System.out.printf("figure: package install flink -> JobManager and TaskManager processes running"
        + " (Corral's part): %.1f s%n", seconds(flinkStart));
    awaitNonEmpty(() -> {
      HttpResponse<String> r = get("/service/flink/taskmanagers");
      return r.statusCode() == 200 && Marathon.JSON.readTree(r.body()).path("taskmanagers").size() == 1 ? "yes" : "";
    });
    System.out.printf("figure: package install flink -> all TaskManagers registered: %.1f s%n", seconds(flinkStart));

    int slots = Marathon.JSON.readTree(get("/service/flink/overview").body()).path("slots-total").asInt();
    assertThat(cli("app", "scale", "/flink/taskmanager", "2").exitCode()).isZero();
    awaitNonEmpty(() -> Marathon.JSON.readTree(get("/service/flink/overview").body()).path("slots-total").asInt()
        == 2 * slots ? "doubled" : "");

    String jarId = upload(EXAMPLE.resolve("target/fintrans-0.1.0-SNAPSHOT-job.jar"));
    long submitted = System.nanoTime();
    ObjectNode run = Marathon.JSON.createObjectNode().put("entryClass", "dev.corral.examples.fintrans.FraudJob");
    run.putArray("programArgsList").add("--bootstrap").add(bootstrap);
    HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(url + "/service/flink/jars/" + jarId + "/run"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(run.toString())));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);

    assertThat(cli("app", "add", example("viewer.json").toString()).exitCode()).isZero();
    String viewerTask = awaitNonEmpty(() -> runningTask("/fraud-viewer"));
    String fraud = awaitNonEmpty(() -> {
      HttpResponse<String> log = get("/system/v1/logs/tasks/" + viewerTask + "/stdout?lines=50");
      return log.body().lines().filter(l -> l.startsWith("FRAUD ")).findFirst().orElse("");
    });
    System.out.printf("figure: job submitted -> first fraud record in the viewer's log: %.1f s (%s)%n",
        seconds(submitted), fraud);
    System.out.printf("figure: package install kafka -> first fraud record: %.1f s%n", seconds(kafkaStart));
    CorralProcess.Result follow = cli("task", "log", "-n", "20", "fraud-viewer");
    assertThat(follow.output()).contains("FRAUD ");

    assertThat(cli("package", "uninstall", "flink", "--yes").exitCode()).isZero();
    assertThat(cli("package", "uninstall", "kafka", "--yes").exitCode()).isZero();
    assertThat(cli("app", "remove", "/transaction-generator").exitCode()).isZero();
    assertThat(cli("app", "remove", "/fraud-viewer").exitCode()).isZero();
    awaitNonEmpty(() -> api.get("/v2/tasks").json().path("tasks").isEmpty() ? "done" : "");
    assertThat(api.get("/v2/apps").json().path("apps")).isEmpty();
    awaitNonEmpty(() -> TaskProcesses.under(dir.resolve("work")).isEmpty() ? "done" : "");
  }

  /** The example's app definition with the demo jar taken from this build instead of the local repository. */
  private static Path example(String name) throws Exception {
    ObjectNode app = (ObjectNode) Marathon.JSON.readTree(EXAMPLE.resolve(name).toFile());
    ArrayNode fetch = (ArrayNode) app.get("fetch");
    for (JsonNode f : fetch) {
      if (f.path("uri").asText().startsWith("maven://dev.corral.examples:fintrans:")) {
        ((ObjectNode) f).put("uri", EXAMPLE.resolve("target/fintrans-0.1.0-SNAPSHOT.jar").toUri().toString())
            .put("destPath", "lib/").put("extract", false);
      }
    }
    return Files.writeString(dir.resolve(name), app.toString());
  }

  /** host:port of each running task of the app, comma-separated (Marathon's text task list, line 1). */
  private static String endpoints(String appId) throws Exception {
    String text = api.get("/v2/apps" + appId + "/tasks", "text/plain").body();
    String first = text.lines().findFirst().orElse("");
    String[] fields = first.split("\t");
    List<String> out = new ArrayList<>();
    for (int i = 2; i < fields.length; i++) {
      out.add(fields[i]);
    }
    return String.join(",", out);
  }

  private static String runningTask(String appId) throws Exception {
    for (JsonNode t : api.get("/v2/apps" + appId + "/tasks").json().path("tasks")) {
      if (t.path("state").asText().equals("TASK_RUNNING")) {
        return t.path("id").asText();
      }
    }
    return "";
  }

  private static String upload(Path jar) throws Exception {
    String boundary = "corral-" + UUID.randomUUID();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"fintrans-job.jar\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/service/flink/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String file = Marathon.JSON.readTree(r.body()).path("filename").asText();
    return file.substring(file.lastIndexOf('/') + 1);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(api.authorize(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls until the call returns a non-empty string (errors count as not yet), then returns it. */
  private static String awaitNonEmpty(Callable<String> call) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        String value = call.call();
        if (value != null && !value.isEmpty()) {
          return value;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("gave up after " + WAIT + (last != null ? ": " + last : "") + "\n" + node.process.output());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static CorralProcess.Result cli(String... args) throws Exception {
    return node.cli(WAIT, args);
  }
}

package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.gateway.tls.ClusterCa;
import dev.corral.gateway.tls.Pem;
import dev.corral.state.MemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the gateway: a certificate from the cluster CA (--tls) or from files (--tls-cert/--tls-key). */
class TlsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void withTlsTheGatewayServesHttpsFromTheClusterCaAndTheCliTrustsIt() throws Exception {
    try (CorralProcess up = startUp(dir.resolve("ca"), "--tls")) {
      String output = up.output();
      assertThat(output).contains("API:        https://127.0.0.1:");
      int port = port(output);
      String ca = Files.readString(dir.resolve("ca/work/master/ca.crt"));
      assertThat(CorralProcess.context(port).path("ca").asText()).isEqualTo(ca);

      CorralProcess.Result list = CorralProcess.run(dir, WAIT, "app", "list", "--url", "https://127.0.0.1:" + port);
      assertThat(list.exitCode()).as(list.output()).isZero();

      HttpClient trusting = HttpClient.newBuilder().sslContext(Pem.trusting(ca)).build();
      HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
          + "/v2/apps")).header("Authorization", "token=" + CorralProcess.token(port)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      // the session cookie of a login over https is Secure
      HttpResponse<String> login = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
          + "/acs/api/v1/auth/login")).POST(HttpRequest.BodyPublishers.ofString("{\"uid\": \"admin\", \"password\": \""
          + CorralProcess.adminPassword(port) + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.headers().firstValue("Set-Cookie").orElse("")).contains("Secure").contains("HttpOnly");

      // nobody else's CA vouches for it, and plain HTTP gets no answer
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + port + "/ping")).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLException.class);
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + port + "/ping")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
      up.stop();
    }
  }

  @Test
  void tasksReachTheApiOverHttpsTrustingTheClusterCaTheyAreGiven() throws Exception {
    try (CorralProcess up = startUp(dir.resolve("tasks"), "--tls")) {
      int port = port(up.output());
      String ca = Files.readString(dir.resolve("tasks/work/master/ca.crt"));
      HttpClient trusting = HttpClient.newBuilder().sslContext(Pem.trusting(ca)).build();
      String auth = "token=" + CorralProcess.token(port);
      // the catalog's discovery call, as a task makes it: curl with the CA file it was given
      String app = """
          {"id": "/tls/probe", "instances": 1, "cpus": 0.1, "mem": 32, "portDefinitions": [],
           "cmd": "echo \\"url=$CORRAL_URL ca=$CORRAL_CA_FILE\\"; if curl -sf --cacert \\"$CORRAL_CA_FILE\\" -H 'Accept: text/plain' \\"$CORRAL_URL/v2/apps/tls/probe/tasks\\" >/dev/null; then echo discovery-ok; else echo discovery-failed; fi; exec sleep 600"}
          """;
      HttpResponse<String> created = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
          + "/v2/apps")).header("Authorization", auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(app)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      String taskId = null;
      String log = "";
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline && !log.contains("discovery-")) {
        Thread.sleep(500);
        if (taskId == null) {
          HttpResponse<String> tasks = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
              + "/v2/apps/tls/probe/tasks")).build(), HttpResponse.BodyHandlers.ofString());
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(tasks.body());
          taskId = m.find() ? m.group(1) : null;
          continue;
        }
        HttpResponse<String> stdout = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
            + "/system/v1/logs/tasks/" + taskId + "/stdout?lines=20")).header("Authorization", auth).build(),
            HttpResponse.BodyHandlers.ofString());
        log = stdout.statusCode() == 200 ? stdout.body() : log;
      }
      assertThat(log).as("the task's stdout").contains("url=https://127.0.0.1:" + port)
          .containsPattern("ca=/\\S+/\\.corral/ca\\.crt").contains("discovery-ok");
      up.stop();
    }
  }

  @Test
  void withCertificateFilesTheGatewayServesThoseAndTheContextTrustsTheirIssuer() throws Exception {
    ClusterCa ca = ClusterCa.loadOrCreate(new MemoryStore(), Clock.systemUTC());
    ClusterCa.Issued issued = ca.issueServer(List.of("127.0.0.1", "localhost"));
    Path cert = Files.writeString(dir.resolve("server.crt"), issued.certChainPem());
    Path key = Files.writeString(dir.resolve("server.key"), issued.keyPem());
    try (CorralProcess up = startUp(dir.resolve("files"), "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
      int port = port(up.output());
      assertThat(CorralProcess.context(port).path("ca").asText()).isEqualTo(ca.certPem());
      CorralProcess.Result status = CorralProcess.run(dir, WAIT, "auth", "status", "--url", "https://localhost:" + port);
      assertThat(status.output()).contains("logged in as admin");
      up.stop();
    }
  }

  private static CorralProcess startUp(Path d, String... tls) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("up", "--work-dir", d.resolve("work").toString(),
        "--http-port", Integer.toString(Ports.free()), "--grpc-port", Integer.toString(Ports.free()),
        "--hostname", "127.0.0.1", "--resources", "cpus:1;mem:256;disk:50"));
    args.addAll(List.of(tls));
    CorralProcess up = CorralProcess.start(d.resolve("up.log"), args.toArray(String[]::new));
    up.awaitLog("is up", WAIT);
    return up;
  }

  private static int port(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("API:\\s+https://127\\.0\\.0\\.1:(\\d+)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Integer.parseInt(m.group(1));
  }
}

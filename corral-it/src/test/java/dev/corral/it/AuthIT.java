package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.corral.cli.auth.ServiceLoginToken;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and authorisation end to end: `corral up` with authentication on (the default), the CLI
 * working from the context it wrote, tokens, permissions on Marathon paths and exec, service accounts,
 * logout, rate-limited login; and a cluster started with --no-auth.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  static SingleNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 5);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void theCliWorksWithTheContextCorralUpWrote() throws Exception {
    assertThat(node.process.output()).contains("web UI login 'admin', password " + node.adminPassword());
    CorralProcess.Result list = node.cli(WAIT, "app", "list");
    assertThat(list.exitCode()).as(list.output()).isZero();
    CorralProcess.Result status = node.cli(WAIT, "auth", "status");
    assertThat(status.output()).contains("logged in as admin");
  }

  @Test
  @Order(2)
  void withoutAValidTokenTheApiAnswers401() throws Exception {
    Marathon anonymous = node.api.as(null);
    Marathon.Response none = anonymous.get("/v2/apps");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().path("code").asText()).isEqualTo("ERR_MISSING_TOKEN");
    assertThat(anonymous.get("/v2/info").status()).isEqualTo(401);
    assertThat(anonymous.post("/package/search", "{}").status()).isEqualTo(401);
    assertThat(anonymous.get("/system/v1/metrics/v0/node").status()).isEqualTo(401);
    Marathon.Response forged = node.api.as(node.api.token() + "x").get("/v2/apps");
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.json().path("code").asText()).isEqualTo("ERR_INVALID_SIGNATURE");
    // the UI's files and the login are public
    assertThat(anonymous.get("/ui/").status()).isEqualTo(200);
    assertThat(anonymous.get("/acs/api/v1/auth/status").json().path("authentication").asBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void aUserWithReadOnDevListsDevAppsButCannotCreateInProdNorExec() throws Exception {
    Path password = Files.writeString(dir.resolve("alice.pw"), "alice-secret-1\n");
    assertThat(node.cli(WAIT, "user", "add", "alice", "--password-file", password.toString()).exitCode()).isZero();
    CorralProcess.Result grant = node.cli(WAIT, "permission", "grant", "corral:service:marathon:/dev/*", "read",
        "--user", "alice");
    assertThat(grant.exitCode()).as(grant.output()).isZero();
    assertThat(node.api.post("/v2/apps", "{\"id\": \"/dev/web\", \"instances\": 0, \"cmd\": \"sleep 100\"}").status())
        .isEqualTo(201);
    assertThat(node.api.post("/v2/apps", "{\"id\": \"/prod/db\", \"instances\": 0, \"cmd\": \"sleep 100\"}").status())
        .isEqualTo(201);
    CorralProcess.Result perms = node.cli(WAIT, "permission", "list", "--json");
    assertThat(perms.output()).contains("corral:service:marathon:/dev/*").contains("alice");

    Marathon alice = node.api.as(login("alice", "alice-secret-1").path("token").asText());
    Marathon.Response apps = alice.get("/v2/apps");
    assertThat(apps.status()).isEqualTo(200);
    assertThat(apps.json().path("apps").findValuesAsText("id")).containsExactly("/dev/web");
    assertThat(alice.get("/v2/apps/dev/web").status()).isEqualTo(200);
    assertThat(alice.get("/v2/apps/prod/db").status()).isEqualTo(403);

    Marathon.Response create = alice.post("/v2/apps", "{\"id\": \"/prod/x\", \"instances\": 0, \"cmd\": \"true\"}");
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.json().path("permission").asText()).isEqualTo("corral:service:marathon:/prod/x");
    assertThat(create.json().path("action").asText()).isEqualTo("create");
    assertThat(alice.post("/v2/apps", "{\"id\": \"/dev/y\", \"instances\": 0, \"cmd\": \"true\"}").status())
        .as("read does not allow create").isEqualTo(403);

    assertThat(execStatus(alice.token())).isEqualTo(403);
    assertThat(execStatus(null)).isEqualTo(401);

    // a group's grant reaches its members
    assertThat(node.cli(WAIT, "user", "group", "add", "devs").exitCode()).isZero();
    assertThat(node.cli(WAIT, "user", "join", "alice", "devs").exitCode()).isZero();
    assertThat(node.cli(WAIT, "permission", "grant", "corral:service:marathon:/dev/*", "create", "--group", "devs")
        .exitCode()).isZero();
    assertThat(alice.post("/v2/apps", "{\"id\": \"/dev/y\", \"instances\": 0, \"cmd\": \"true\"}").status())
        .isEqualTo(201);
  }

  @Test
  @Order(4)
  void aServiceAccountLogsInWithItsRs256Key() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair keys = gen.generateKeyPair();
    Path pub = Files.writeString(dir.resolve("svc.pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    CorralProcess.Result add = node.cli(WAIT, "user", "add", "ci-bot", "--public-key", pub.toString(),
        "--description", "deploys from CI");
    assertThat(add.exitCode()).as(add.output()).isZero();
    assertThat(node.cli(WAIT, "user", "list").output()).contains("ci-bot").contains("service");

    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().claim("uid", "ci-bot")
        .expirationTime(Date.from(Instant.now().plusSeconds(120))).build());
    jwt.sign(new RSASSASigner(keys.getPrivate()));
    JsonNode answer = login("ci-bot", null, jwt.serialize());
    Marathon bot = node.api.as(answer.path("token").asText());
    assertThat(bot.get("/acs/api/v1/auth/whoami").json().path("uid").asText()).isEqualTo("ci-bot");
    assertThat(bot.get("/v2/apps").status()).as("no permission yet").isEqualTo(403);

    // the CLI's own signer (corral auth login --private-key) produces a token the cluster accepts
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    String cliToken = ServiceLoginToken.sign("ci-bot", pem, Instant.now(), Duration.ofMinutes(2));
    assertThat(login("ci-bot", null, cliToken).path("token").asText()).isNotBlank();

    // a token signed by another key is refused
    KeyPair other = gen.generateKeyPair();
    SignedJWT wrong = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().claim("uid", "ci-bot")
        .expirationTime(Date.from(Instant.now().plusSeconds(120))).build());
    wrong.sign(new RSASSASigner(other.getPrivate()));
    assertThat(loginStatus("{\"uid\": \"ci-bot\", \"token\": \"" + wrong.serialize() + "\"}")).isEqualTo(401);
  }

  @Test
  @Order(5)
  void logoutRevokesTheToken() throws Exception {
    Marathon alice = node.api.as(login("alice", "alice-secret-1").path("token").asText());
    assertThat(alice.get("/v2/apps").status()).isEqualTo(200);
    assertThat(alice.post("/acs/api/v1/auth/logout", "{}").status()).isEqualTo(204);
    Marathon.Response after = alice.get("/v2/apps");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().path("code").asText()).isEqualTo("ERR_REVOKED_TOKEN");
  }

  @Test
  @Order(10)
  void theEventStreamCarriesOnlyTheAppsTheCallerMayRead() throws Exception {
    Path password = Files.writeString(dir.resolve("eve.pw"), "eve-secret-12\n");
    assertThat(node.cli(WAIT, "user", "add", "eve", "--password-file", password.toString()).exitCode()).isZero();
    assertThat(node.cli(WAIT, "permission", "grant", "corral:service:marathon:/a/*", "read", "--user", "eve")
        .exitCode()).isZero();
    Marathon eve = node.api.as(login("eve", "eve-secret-12").path("token").asText());
    BlockingQueue<EventStreamIT.Frame> eveStream = EventStreamIT.open(eve, node.httpPort, null);
    BlockingQueue<EventStreamIT.Frame> adminStream = EventStreamIT.open(node.api, node.httpPort, null);
    List<EventStreamIT.Frame> eveSaw = new ArrayList<>();
    List<EventStreamIT.Frame> adminSaw = new ArrayList<>();
    assertThat(await(eveStream, eveSaw, f -> f.event().equals("event_stream_attached"))).isNotNull();

    // one deployment for both apps, each with a running task
    Marathon.Response put = node.api.put("/v2/apps", "[" + sleeper("/a/web") + ", " + sleeper("/b/web") + "]");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    await(adminStream, adminSaw, f -> running(f, "/b/web"));
    await(adminStream, adminSaw, f -> f.event().equals("deployment_success"));
    await(eveStream, eveSaw, f -> running(f, "/a/web"));
    EventStreamIT.Frame done = await(eveStream, eveSaw, f -> f.event().equals("deployment_success"));

    // the deployment is shown trimmed to what eve may read
    assertThat(texts(done.data().path("plan").path("affectedApps"))).containsExactly("/a/web");
    EventStreamIT.Frame adminDone = adminSaw.stream().filter(f -> f.event().equals("deployment_success"))
        .reduce((x, y) -> y).orElseThrow();
    assertThat(texts(adminDone.data().path("plan").path("affectedApps"))).containsExactlyInAnyOrder("/a/web", "/b/web");
    assertThat(adminDone.id()).isEqualTo(done.id());
    // eve's stream carried nothing about /b, the admin's did
    assertThat(eveSaw).noneMatch(f -> f.data().toString().contains("/b/web"));
    assertThat(eveSaw).anyMatch(f -> f.event().equals("api_post_event")
        && f.data().path("appDefinition").path("id").asText().equals("/a/web"));
    assertThat(adminSaw).anyMatch(f -> f.data().toString().contains("/b/web"));

    // so do the listings: tasks (JSON and the text discovery format) and deployments
    assertThat(eve.get("/v2/tasks").json().path("tasks").findValuesAsText("appId")).containsOnly("/a/web");
    String text = eve.get("/v2/tasks", "text/plain").body();
    assertThat(text).contains("a_web_").doesNotContain("b_web_");
    assertThat(node.api.get("/v2/tasks", "text/plain").body()).contains("a_web_").contains("b_web_");
    assertThat(eve.get("/v2/deployments").status()).isEqualTo(200);
  }

  @Test
  @Order(11)
  void aUserWithExecAndLogsOnAFollowsAndExecsIntoItsTasksButGets403ForB() throws Exception {
    Path password = Files.writeString(dir.resolve("frank.pw"), "frank-secret-1\n");
    assertThat(node.cli(WAIT, "user", "add", "frank", "--password-file", password.toString()).exitCode()).isZero();
    for (String[] grant : new String[][] {{"corral:service:marathon:/a/*", "read"},
        {"corral:task:logs:/a/*", "read"}, {"corral:task:exec:/a/*", "create"}}) {
      CorralProcess.Result r = node.cli(WAIT, "permission", "grant", grant[0], grant[1], "--user", "frank");
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
    String aTask = node.api.awaitTasks("/a/web", Marathon.running(1), WAIT).get(0).path("id").asText();
    String bTask = node.api.awaitTasks("/b/web", Marathon.running(1), WAIT).get(0).path("id").asText();
    String token = login("frank", "frank-secret-1").path("token").asText();
    Marathon frank = node.api.as(token);

    // follows /a's task log: the stream carries what the task printed
    HttpResponse<InputStream> follow = frank.stream("/system/v1/logs/tasks/" + aTask + "/stdout?lines=10&follow=true",
        "text/event-stream");
    try (InputStream body = follow.body()) {
      assertThat(follow.statusCode()).isEqualTo(200);
      BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          for (String l = lines.readLine(); l != null; l = lines.readLine()) {
            if (l.contains("started /a/web")) {
              return l;
            }
          }
          return null;
        } catch (java.io.IOException e) {
          return null;
        }
      }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(line).isNotNull();
    }
    assertThat(frank.get("/system/v1/files/tasks/" + aTask + "/browse?path=").status()).isEqualTo(200);

    // /b's task: 403 naming both permissions that would allow it
    Marathon.Response log = frank.get("/system/v1/logs/tasks/" + bTask + "/stdout?lines=10");
    assertThat(log.status()).as(log.body()).isEqualTo(403);
    assertThat(log.json().path("permission").asText()).isEqualTo("corral:task:logs:/b/web");
    assertThat(log.json().path("action").asText()).isEqualTo("read");
    assertThat(log.json().path("message").asText()).contains("'frank'").contains(bTask)
        .contains("corral:logs (read) or corral:task:logs:/b/web (read)");
    assertThat(frank.get("/system/v1/files/tasks/" + bTask + "/download?path=stdout").status()).isEqualTo(403);

    // exec with the CLI as frank: into /a's task, not into /b's
    Map<String, String> asFrank = Map.of("CORRAL_TOKEN", token);
    CorralProcess.Result inA = CorralProcess.run(dir, WAIT, asFrank, "task", "exec", "--url", node.url, aTask, "--",
        "sh", "-c", "echo inside-$MESOS_TASK_ID");
    assertThat(inA.exitCode()).as(inA.output()).isZero();
    assertThat(inA.output()).contains("inside-" + aTask);
    CorralProcess.Result inB = CorralProcess.run(dir, WAIT, asFrank, "task", "exec", "--url", node.url, bTask, "--",
        "true");
    assertThat(inB.exitCode()).as(inB.output()).isNotZero();
    assertThat(inB.output()).contains("corral:task:exec:/b/web");
    assertThat(execStatus(token, bTask)).isEqualTo(403);
    // the admin (cluster-wide) still may
    assertThat(node.api.get("/system/v1/logs/tasks/" + bTask + "/stdout?lines=10").status()).isEqualTo(200);
  }

  private static String sleeper(String id) {
    return "{\"id\": \"" + id + "\", \"instances\": 1, \"cmd\": \"echo started " + id
        + "; exec sleep 1000\", \"cpus\": 0.1, \"mem\": 16}";
  }

  private static boolean running(EventStreamIT.Frame f, String appId) {
    return f.event().equals("status_update_event") && f.data().path("appId").asText().equals(appId)
        && f.data().path("taskStatus").asText().equals("TASK_RUNNING");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The first frame {@code wanted} accepts; every frame read on the way is added to {@code seen}. */
  private static EventStreamIT.Frame await(BlockingQueue<EventStreamIT.Frame> stream, List<EventStreamIT.Frame> seen,
      Predicate<EventStreamIT.Frame> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      EventStreamIT.Frame f = stream.poll(1, TimeUnit.SECONDS);
      if (f != null) {
        seen.add(f);
        if (wanted.test(f)) {
          return f;
        }
      }
    }
    throw new AssertionError("not on the stream within " + WAIT + "; saw " + seen.stream().map(f -> f.event() + " "
        + f.data()).toList());
  }

  @Test
  @Order(20)
  void repeatedWrongPasswordsAreSlowedWith429() throws Exception {
    int last = 0;
    for (int i = 0; i < 8 && last != 429; i++) {
      last = loginStatus("{\"uid\": \"alice\", \"password\": \"wrong-" + i + "\"}");
    }
    assertThat(last).isEqualTo(429);
    Marathon.Response r = node.api.as(null).post("/acs/api/v1/auth/login",
        "{\"uid\": \"alice\", \"password\": \"alice-secret-1\"}");
    assertThat(r.status()).as("even the right password waits").isEqualTo(429);
  }

  @Test
  @Order(21)
  void internalTrafficNeedsTheClusterSecret() throws Exception {
    // the agent's own HTTP API answers the gateway only
    JsonNode agents = node.api.get("/master/slaves").json().path("slaves");
    String address = agents.get(0).path("http_address").asText();
    Marathon.Response direct = new Marathon(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))
        .as(null).get("/logs/v1/agent");
    assertThat(direct.status()).isEqualTo(401);
    String agentId = agents.get(0).path("id").asText();
    Marathon.Response viaGateway = node.api.get("/system/v1/agent/" + agentId + "/metrics/v0/node");
    assertThat(viaGateway.status()).as("through the gateway: " + viaGateway.body()).isEqualTo(200);

    // an agent with the wrong secret is not let in
    String up = node.process.output();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("--master (\\S+) --secret-file (\\S+)").matcher(up);
    assertThat(m.find()).as(up).isTrue();
    Path wrong = Files.writeString(dir.resolve("wrong-secret"), "not-the-cluster-secret-at-all\n");
    try (CorralProcess agent = CorralProcess.start(dir.resolve("intruder.log"), "agent", "--master", m.group(1),
        "--work-dir", dir.resolve("intruder").toString(), "--hostname", "127.0.0.1", "--http-port", "0",
        "--http-bind", "127.0.0.1", "--secret-file", wrong.toString(), "--resources", "cpus:1;mem:128;disk:10")) {
      agent.awaitLog("UNAUTHENTICATED", WAIT);
      assertThat(node.api.get("/master/slaves").json().path("slaves")).hasSize(1);
    }
  }

  @Test
  @Order(22)
  void withNoAuthEverythingWorksWithoutTokensAndTheApiSaysSo() throws Exception {
    try (SingleNode open = SingleNode.start(dir.resolve("open"), "cpus:1;mem:256;disk:50", 2, "--no-auth")) {
      Marathon anonymous = open.api.as(null);
      assertThat(anonymous.get("/v2/apps").status()).isEqualTo(200);
      assertThat(anonymous.post("/v2/apps", "{\"id\": \"/free\", \"instances\": 0, \"cmd\": \"true\"}").status())
          .isEqualTo(201);
      JsonNode status = anonymous.get("/acs/api/v1/auth/status").json();
      assertThat(status.path("authentication").asBoolean()).isFalse();
      assertThat(open.process.output()).contains("Auth:       OFF");
      CorralProcess.Result list = open.cli(WAIT, "app", "list");
      assertThat(list.exitCode()).as(list.output()).isZero();
      assertThat(list.output()).contains("/free");
    }
  }

  private static JsonNode login(String uid, String password) throws Exception {
    return login(uid, password, null);
  }

  private static JsonNode login(String uid, String password, String token) throws Exception {
    String body = password != null ? "{\"uid\": \"" + uid + "\", \"password\": \"" + password + "\"}"
        : "{\"uid\": \"" + uid + "\", \"token\": \"" + token + "\"}";
    Marathon.Response r = node.api.as(null).post("/acs/api/v1/auth/login", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static int loginStatus(String body) throws Exception {
    return node.api.as(null).post("/acs/api/v1/auth/login", body).status();
  }

  /** The status of an exec upgrade into a task (the check comes before the task is even looked up). */
  private static int execStatus(String token) throws Exception {
    return execStatus(token, "some-task");
  }

  private static int execStatus(String token, String taskId) throws Exception {
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    if (token != null) {
      b.header("Authorization", "token=" + token);
    }
    try {
      b.buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort + "/system/v1/exec/tasks/" + taskId),
          new WebSocket.Listener() {}).get();
      return 101;
    } catch (ExecutionException | CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }
}

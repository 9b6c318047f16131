package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * VIPs on a cluster of separate processes: a master and two agents, each agent running its own VIP proxy that
 * follows the master's table over HTTP (on loopback they listen in their own 127.(77+i)/16, see
 * {@link Cluster}). Three health-checked instances behind one TCP VIP take connections through either agent's
 * proxy; a killed instance fails no new connection and leaves the rotation once noticed, as does one that
 * fails its health check while it still runs; a scale-up reaches both proxies; a UDP echo answers through a
 * UDP VIP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VipIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String WEB = "/vipit/web";
  private static final String WEB_VIP = "vipit-web.marathon.l4lb.corral";
  private static final int WEB_PORT = 8080;
  private static final String ECHO = "/vipit/echo";
  private static final String ECHO_VIP = "vipit-echo.marathon.l4lb.corral";
  private static final int ECHO_PORT = 5353;
  private static final int AGENTS = 2;

  @TempDir
  static Path dir;
  static Cluster cluster;
  static Marathon api;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir, AGENTS, i -> "127.0.0.1", "cpus:2;mem:1024;disk:512");
    api = cluster.api;
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void threeInstancesBehindOneVipTakeConnectionsThroughEveryAgentsProxy() throws Exception {
    String app = """
        {"id": "%s", "instances": 3, "cpus": 0.1, "mem": 64,
         "cmd": "echo -n $MESOS_TASK_ID > id.txt && exec python3 -m http.server --bind 127.0.0.1 $PORT0",
         "portDefinitions": [{"port": 0, "name": "http", "labels": {"VIP_0": "/vipit-web:%d"}}],
         "healthChecks": [{"protocol": "HTTP", "portIndex": 0, "path": "/id.txt", "gracePeriodSeconds": 30,
                           "intervalSeconds": 1, "timeoutSeconds": 1, "maxConsecutiveFailures": 2}]}
        """.formatted(WEB, WEB_PORT);
    Marathon.Response created = api.post("/v2/apps", app);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    List<JsonNode> tasks = api.awaitTasks(WEB, healthy(3), WAIT);
    Set<String> ids = ids(tasks);
    String vipIp = awaitBackends(WEB_VIP, "tcp", b -> b.size() == 3).path("ip").asText();
    assertThat(vipIp).startsWith("127.77.");

    for (int agent = 1; agent <= AGENTS; agent++) {
      InetSocketAddress vip = new InetSocketAddress(Cluster.vipAddress(agent, vipIp), WEB_PORT);
      Set<String> answered = new HashSet<>();
      within(Duration.ofSeconds(10), () -> {
        answered.add(get(vip));
        return answered;
      }, a -> a.size() == 3);
      answered.clear();
      for (int i = 0; i < 6; i++) {
        answered.add(get(vip));
      }
      assertThat(answered).as("agent %d's proxy", agent).isEqualTo(ids);
    }
  }

  @Test
  @Order(2)
  void aKilledInstanceFailsNoNewConnectionAndLeavesTheRotation() throws Exception {
    JsonNode victim = api.tasks(WEB, "TASK_RUNNING").get(0);
    String victimId = victim.path("id").asText();
    String vipIp = awaitBackends(WEB_VIP, "tcp", b -> b.size() == 3).path("ip").asText();
    long pid = TaskProcesses.pidOf(dir, victimId, "http.server");
    TaskProcesses.signalGroup(pid, "KILL");
    long killed = System.nanoTime();

    // Until the master notices (task status or health), the proxies skip the refused backend.
    int beforeNoticed = 0;
    int failedBeforeNoticed = 0;
    while (backends(WEB_VIP, "tcp").toString().contains(":" + victim.path("ports").get(0).asInt() + "\"")) {
      if (System.nanoTime() - killed > WAIT.toNanos()) {
        throw new AssertionError("the killed task never left the VIP: " + backends(WEB_VIP, "tcp"));
      }
      for (int agent = 1; agent <= AGENTS; agent++) {
        beforeNoticed++;
        try {
          get(new InetSocketAddress(Cluster.vipAddress(agent, vipIp), WEB_PORT));
        } catch (IOException e) {
          failedBeforeNoticed++;
        }
      }
    }
    System.out.printf("figure: killed task left the VIP table %d ms after SIGKILL; connections meanwhile: %d,"
        + " failed: %d%n", (System.nanoTime() - killed) / 1_000_000, beforeNoticed, failedBeforeNoticed);

    // Once noticed, every new connection through every agent succeeds, and none reaches the dead task.
    for (int agent = 1; agent <= AGENTS; agent++) {
      InetSocketAddress vip = new InetSocketAddress(Cluster.vipAddress(agent, vipIp), WEB_PORT);
      for (int i = 0; i < 10; i++) {
        assertThat(get(vip)).isNotEqualTo(victimId).isNotEmpty();
      }
    }

    // The replacement joins the rotation when it is healthy.
    Set<String> ids = ids(api.awaitTasks(WEB, ts -> healthy(3).test(ts)
        && ts.stream().noneMatch(t -> t.path("id").asText().equals(victimId)), WAIT));
    awaitBackends(WEB_VIP, "tcp", b -> b.size() == 3);
    for (int agent = 1; agent <= AGENTS; agent++) {
      InetSocketAddress vip = new InetSocketAddress(Cluster.vipAddress(agent, vipIp), WEB_PORT);
      Set<String> answered = new HashSet<>();
      within(Duration.ofSeconds(10), () -> {
        answered.add(get(vip));
        return answered;
      }, a -> a.equals(ids));
    }
  }

  @Test
  @Order(3)
  void anUnhealthyInstanceLeavesTheRotationWhileItsProcessStillRuns() throws Exception {
    JsonNode victim = api.tasks(WEB, "TASK_RUNNING").get(0);
    String victimId = victim.path("id").asText();
    String port = ":" + victim.path("ports").get(0).asInt() + "\"";
    String vipIp = awaitBackends(WEB_VIP, "tcp", b -> b.size() == 3).path("ip").asText();
    // the health check asks for /id.txt: without it the task answers 404, and is unhealthy, but still runs
    Path sandbox = TaskProcesses.under(dir).stream().filter(p -> p.cwd().getFileName().toString().equals(victimId))
        .findFirst().orElseThrow().cwd();
    java.nio.file.Files.delete(sandbox.resolve("id.txt"));
    long broken = System.nanoTime();
    within(WAIT, () -> backends(WEB_VIP, "tcp").toString(), b -> !b.contains(port));
    System.out.printf("figure: task failing its health check left the VIP table %d ms after its check broke%n",
        (System.nanoTime() - broken) / 1_000_000);
    // each agent's proxy follows the master's table within moments: then ten connections in a row avoid it
    for (int agent = 1; agent <= AGENTS; agent++) {
      InetSocketAddress vip = new InetSocketAddress(Cluster.vipAddress(agent, vipIp), WEB_PORT);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int inARow = 0;
      IOException last = null;
      while (inARow < 10 && System.nanoTime() < deadline) {
        try {
          assertThat(get(vip)).isNotEqualTo(victimId).isNotEmpty(); // get() fails on the victim's 404
          inARow++;
        } catch (IOException e) {
          last = e;
          inARow = 0;
          Thread.sleep(50);
        }
      }
      assertThat(inARow).as("agent %d's proxy still routes to the unhealthy task: %s", agent, last).isEqualTo(10);
    }
    // Marathon then replaces it; the rotation is whole again
    api.awaitTasks(WEB, ts -> healthy(3).test(ts)
        && ts.stream().noneMatch(t -> t.path("id").asText().equals(victimId)), WAIT);
    awaitBackends(WEB_VIP, "tcp", b -> b.size() == 3);
  }

  @Test
  @Order(4)
  void aScaleUpReachesEveryAgentsProxyQuickly() throws Exception {
    assertThat(api.put("/v2/apps" + WEB, "{\"instances\": 4}").status()).isEqualTo(200);
    api.awaitTasks(WEB, healthy(4), WAIT);
    long healthyInApi = System.nanoTime();
    String vipIp = awaitBackends(WEB_VIP, "tcp", b -> b.size() == 4).path("ip").asText();
    Set<String> ids = ids(api.tasks(WEB, "TASK_RUNNING"));
    long[] followed = new long[AGENTS + 1];
    for (int agent = 1; agent <= AGENTS; agent++) {
      InetSocketAddress vip = new InetSocketAddress(Cluster.vipAddress(agent, vipIp), WEB_PORT);
      Set<String> answered = new HashSet<>();
      within(Duration.ofSeconds(10), () -> {
        answered.add(get(vip));
        return answered;
      }, a -> a.equals(ids));
      followed[agent] = (System.nanoTime() - healthyInApi) / 1_000_000;
    }
    System.out.printf("figure: fourth task healthy in the API -> reached through agent 1's proxy: %d ms, agent 2's:"
        + " %d ms%n", followed[1], followed[2]);
  }

  @Test
  @Order(5)
  void aUdpEchoAnswersThroughAUdpVipOnEveryAgent() throws Exception {
    String script = "import socket,os\\n"
        + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\\n"
        + "s.bind((\\\"127.0.0.1\\\",int(os.environ[\\\"PORT0\\\"])))\\n"
        + "me=os.environ[\\\"MESOS_TASK_ID\\\"].encode()\\n"
        + "while True:\\n"
        + " d,a=s.recvfrom(2048)\\n"
        + " s.sendto(me+b\\\":\\\"+d,a)\\n";
    String app = """
        {"id": "%s", "instances": 2, "cpus": 0.1, "mem": 64, "cmd": "exec python3 -u -c '%s'",
         "portDefinitions": [{"port": 0, "protocol": "udp", "labels": {"VIP_0": "/vipit-echo:%d"}}]}
        """.formatted(ECHO, script, ECHO_PORT);
    Marathon.Response created = api.post("/v2/apps", app);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Set<String> ids = ids(api.awaitTasks(ECHO, Marathon.running(2), WAIT));
    JsonNode vip = awaitBackends(ECHO_VIP, "udp", b -> b.size() == 2);
    assertThat(vip.path("port").asInt()).isEqualTo(ECHO_PORT);

    for (int agent = 1; agent <= AGENTS; agent++) {
      InetSocketAddress at = new InetSocketAddress(Cluster.vipAddress(agent, vip.path("ip").asText()), ECHO_PORT);
      Set<String> answeredBy = new HashSet<>();
      // each new client (a new source port) is a new flow, and flows are spread over the tasks
      for (int client = 0; client < 4; client++) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
          String answer = ask(socket, at, "ping-" + client);
          assertThat(answer).endsWith(":ping-" + client);
          String by = answer.substring(0, answer.lastIndexOf(":ping-"));
          assertThat(ask(socket, at, "again")).isEqualTo(by + ":again");
          answeredBy.add(by);
        }
      }
      assertThat(answeredBy).as("agent %d's UDP proxy", agent).isEqualTo(ids);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Predicate<List<JsonNode>> healthy(int n) {
    return ts -> ts.size() == n && ts.stream().allMatch(t -> t.path("state").asText().equals("TASK_RUNNING")
        && t.path("healthCheckResults").size() > 0
        && t.path("healthCheckResults").get(0).path("alive").asBoolean(false));
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    Set<String> out = new HashSet<>();
    tasks.forEach(t -> out.add(t.path("id").asText()));
    return out;
  }

  /** The entry of the master's VIP table for a name and protocol; a missing node when there is none. */
  private static JsonNode vipEntry(String name, String protocol) throws Exception {
    for (JsonNode v : api.get("/v1/discovery/vips").json().path("vips")) {
      if (v.path("name").asText().equals(name) && v.path("protocol").asText().equals(protocol)) {
        return v;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static JsonNode backends(String name, String protocol) throws Exception {
    return vipEntry(name, protocol).path("backends");
  }

  private static JsonNode awaitBackends(String name, String protocol, Predicate<JsonNode> ok) throws Exception {
    return within(WAIT, () -> vipEntry(name, protocol), v -> ok.test(v.path("backends")));
  }

  /** Polls {@code read} until {@code ok}; fails with the last value once {@code limit} has passed. */
  private static <T> T within(Duration limit, Callable<T> read, Predicate<T> ok) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = read.call();
    while (!ok.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + "; last: " + last);
      }
      Thread.sleep(50);
      last = read.call();
    }
    return last;
  }

  /** An HTTP/1.0 GET of /id.txt over a plain socket; the body. */
  private static String get(InetSocketAddress address) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address, 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("GET /id.txt HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.0 200")) {
        throw new IOException("not 200 through " + address + ": " + response);
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  /** One datagram and its answer, retried a few times as UDP clients do (the proxy may still be starting). */
  private static String ask(DatagramSocket s, InetSocketAddress to, String text) throws IOException {
    s.setSoTimeout(1000);
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; ; attempt++) {
      s.send(new DatagramPacket(out, out.length, to));
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      try {
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
      } catch (SocketTimeoutException e) {
        if (attempt >= 9) {
          throw e;
        }
      }
    }
  }
}

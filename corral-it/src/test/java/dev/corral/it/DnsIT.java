package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * Service discovery on `corral up`: dig asks the master's DNS server for a group app's tasks while it scales
 * and loses a task, and HTTP requests go through the app's VIP to its tasks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** How soon DNS must follow a change the API already shows. */
  private static final Duration FOLLOW = Duration.ofSeconds(1);
  private static final String APP = "/dnsit/group/web";
  private static final String SRV = "_web-group-dnsit._tcp.marathon.corral";
  private static final String VIP = "dnsit-web.marathon.l4lb.corral";
  private static final int VIP_PORT = 8080;

  @TempDir
  static Path dir;
  static SingleNode node;
  static Dig dig;

  @BeforeAll
  static void start() throws Exception {
    int dnsPort = Ports.free();
    node = SingleNode.start(dir, "cpus:4;mem:4096;disk:1024", 20, "--dns-port", Integer.toString(dnsPort));
    dig = new Dig(dnsPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void aRunningGroupAppHasAddressAndServiceRecords() throws Exception {
    String app = """
        {"id": "%s", "instances": 2, "cpus": 0.1, "mem": 64,
         "cmd": "echo -n $MESOS_TASK_ID > id.txt && exec python3 -m http.server --bind 127.0.0.1 $PORT0",
         "portDefinitions": [{"port": 0, "name": "http", "labels": {"VIP_0": "/dnsit-web:%d"}}]}
        """.formatted(APP, VIP_PORT);
    Marathon.Response created = node.api.post("/v2/apps", app);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    List<JsonNode> tasks = node.api.awaitTasks(APP, Marathon.running(2), WAIT);

    List<String> srv = within(FOLLOW, () -> dig.answer(SRV, "SRV"), a -> a.size() == 2);
    assertThat(srv).allMatch(r -> r.matches("0 1 \\d+ web-group-dnsit-[0-9a-z]+\\.marathon\\.corral\\."));
    assertThat(srv.stream().map(r -> Integer.parseInt(r.split(" ")[2])).toList())
        .containsExactlyInAnyOrderElementsOf(ports(tasks));
    assertThat(dig.answer("web-group-dnsit.marathon.corral", "A")).containsExactly("127.0.0.1");
    assertThat(dig.answer("_http._web-group-dnsit._tcp.marathon.corral", "SRV")).hasSize(2);
    assertThat(dig.answer("web-group-dnsit.marathon.slave.corral", "A")).containsExactly("127.0.0.1");
    assertThat(dig.answer("leader.corral", "A")).containsExactly("127.0.0.1");
    assertThat(dig.status("nothing.marathon.corral", "A")).isEqualTo("NXDOMAIN");
    // the tasks' host (127.0.0.1) has no IPv6 address: AAAA is empty, and the name still exists
    assertThat(dig.status("web-group-dnsit.marathon.corral", "AAAA")).isEqualTo("NOERROR");
    assertThat(dig.answer("web-group-dnsit.marathon.corral", "AAAA")).isEmpty();
    assertThat(dig.status("example.com", "A")).isEqualTo("REFUSED");

    JsonNode discovered = node.api.get("/v1/discovery/services/web-group-dnsit").json();
    assertThat(discovered.path("app").asText()).isEqualTo(APP);
    assertThat(discovered.path("endpoints")).hasSize(2);
    assertThat(discovered.path("vips").get(0).path("name").asText()).isEqualTo(VIP);
  }

  @Test
  @Order(2)
  void dnsFollowsAScaleUpWithinASecond() throws Exception {
    assertThat(node.api.put("/v2/apps" + APP, "{\"instances\": 3}").status()).isEqualTo(200);
    List<JsonNode> tasks = node.api.awaitTasks(APP, Marathon.running(3), WAIT);
    long running = System.nanoTime();
    List<String> srv = within(FOLLOW, () -> dig.answer(SRV, "SRV"), a -> a.size() == 3);
    System.out.printf("figure: third task RUNNING in the API -> its SRV record served: %d ms (dig polling every 20 ms)%n",
        (System.nanoTime() - running) / 1_000_000);
    assertThat(srv.stream().map(r -> Integer.parseInt(r.split(" ")[2])).toList())
        .containsExactlyInAnyOrderElementsOf(ports(tasks));
  }

  @Test
  @Order(3)
  void theVipBalancesOverEveryTask() throws Exception {
    List<String> address = dig.answer(VIP, "A");
    assertThat(address).hasSize(1);
    assertThat(address.get(0)).startsWith("127.77.");
    InetSocketAddress vip = new InetSocketAddress(address.get(0), VIP_PORT);
    awaitServing(node.api.tasks(APP, "TASK_RUNNING"));
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      answered.add(get(vip, "/id.txt"));
    }
    assertThat(answered).containsExactlyInAnyOrderElementsOf(
        node.api.tasks(APP, "TASK_RUNNING").stream().map(t -> t.path("id").asText()).toList());
  }

  @Test
  @Order(4)
  void aKilledTaskLeavesDnsAndTheVipWithinASecond() throws Exception {
    JsonNode victim = node.api.tasks(APP, "TASK_RUNNING").get(0);
    String id = victim.path("id").asText();
    int port = victim.path("ports").get(0).asInt();
    assertThat(node.api.delete("/v2/apps" + APP + "/tasks/" + id + "?scale=true").status()).isEqualTo(200);
    node.api.awaitTasks(APP, ts -> ts.size() == 2 && ts.stream().noneMatch(t -> t.path("id").asText().equals(id)),
        WAIT);
    List<String> srv = within(FOLLOW, () -> dig.answer(SRV, "SRV"), a -> a.size() == 2);
    assertThat(srv).noneMatch(r -> r.contains(" " + port + " "));

    InetSocketAddress vip = new InetSocketAddress(dig.answer(VIP, "A").get(0), VIP_PORT);
    awaitServing(node.api.tasks(APP, "TASK_RUNNING"));
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      answered.add(get(vip, "/id.txt"));
    }
    assertThat(answered).hasSize(2).doesNotContain(id);
  }

  @Test
  @Order(5)
  void aDeletedAppsNamesAreGone() throws Exception {
    assertThat(node.api.delete("/v2/apps" + APP + "?force=true").status()).isEqualTo(200);
    within(Duration.ofSeconds(30), () -> dig.status("web-group-dnsit.marathon.corral", "A"),
        s -> s.equals("NXDOMAIN"));
    assertThat(dig.status(VIP, "A")).isEqualTo("NXDOMAIN");
  }

  /** Waits until each task's own server answers: RUNNING comes before python listens. */
  private static void awaitServing(List<JsonNode> tasks) throws Exception {
    for (JsonNode t : tasks) {
      InetSocketAddress direct = new InetSocketAddress("127.0.0.1", t.path("ports").get(0).asInt());
      within(Duration.ofSeconds(30), () -> {
        try {
          return get(direct, "/id.txt");
        } catch (IOException e) {
          return "";
        }
      }, body -> body.equals(t.path("id").asText()));
    }
  }

  private static List<Integer> ports(List<JsonNode> tasks) {
    return tasks.stream().map(t -> t.path("ports").get(0).asInt()).toList();
  }

  /** Polls {@code read} until {@code ok}; fails with the last value once {@code limit} has passed. */
  private static <T> T within(Duration limit, Callable<T> read, Predicate<T> ok) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = read.call();
    while (!ok.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + "; last: " + last);
      }
      Thread.sleep(20);
      last = read.call();
    }
    return last;
  }

  /** An HTTP/1.0 GET over a plain socket (the VIP address is an IP, not a name the JDK knows); the body. */
  private static String get(InetSocketAddress address, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address, 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }
}

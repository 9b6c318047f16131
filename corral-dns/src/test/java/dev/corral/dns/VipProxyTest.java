package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTP servers behind a VIP; real connections through the proxy. */
class VipProxyTest {
  private final List<HttpServer> servers = new ArrayList<>();
  private VipProxy proxy;

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    if (proxy != null) {
      proxy.close();
    }
  }

  private int server(String name) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    s.createContext("/", ex -> {
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    s.start();
    servers.add(s);
    return s.getAddress().getPort();
  }

  private static RecordTable table(int vipPort, List<Integer> taskPorts) {
    List<DiscoveredApp.Task> tasks = new ArrayList<>();
    for (int p : taskPorts) {
      tasks.add(new DiscoveredApp.Task("web." + p, "localhost", "127.0.0.1", List.of(p), true, null));
    }
    DiscoveredApp app = new DiscoveredApp("/web",
        List.of(new DiscoveredApp.Port(0, null, "tcp", List.of(new Vip("vip-proxy-test", vipPort)))), false, tasks);
    return new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress()).build(1, List.of(app));
  }

  /** One HTTP/1.0 request through a plain socket, the answer's body. */
  static String get(InetSocketAddress address) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address, 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  void balancesNewConnectionsRoundRobinAndFollowsTheTable() throws Exception {
    int a = server("a");
    int b = server("b");
    int vipPort = freePort();
    proxy = new VipProxy().start();
    RecordTable t = table(vipPort, List.of(a, b));
    proxy.update(t);
    InetSocketAddress vip = new InetSocketAddress(t.vips().get(0).address(), vipPort);
    assertThat(vip.getAddress().getHostAddress()).startsWith("127.77.");
    await().atMost(Duration.ofSeconds(2)).until(() -> proxy.listening().contains(vip));

    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(get(vip));
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b");

    proxy.update(table(vipPort, List.of(b)));
    Thread.sleep(100);
    for (int i = 0; i < 4; i++) {
      assertThat(get(vip)).isEqualTo("b");
    }

    proxy.update(new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress()).build(2, List.of()));
    await().atMost(Duration.ofSeconds(2)).until(() -> proxy.listening().isEmpty());
  }

  @Test
  void aBackendThatRefusesIsSkipped() throws Exception {
    int a = server("a");
    int dead = freePort();
    int vipPort = freePort();
    proxy = new VipProxy().start();
    RecordTable t = table(vipPort, List.of(dead, a));
    proxy.update(t);
    InetSocketAddress vip = new InetSocketAddress(t.vips().get(0).address(), vipPort);
    await().atMost(Duration.ofSeconds(2)).until(() -> proxy.listening().contains(vip));
    for (int i = 0; i < 4; i++) {
      assertThat(get(vip)).isEqualTo("a");
    }
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

package dev.corral.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real TCP and UDP servers behind a VIP; real connections and datagrams through the proxy. */
class VipProxyTest {
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<UdpEcho> echoes = new ArrayList<>();
  private VipProxy proxy;

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    echoes.forEach(UdpEcho::close);
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

  private static final InetAddress VIP_IP = ip("127.77.200.17");

  private static VipRoute route(String protocol, int vipPort, List<Integer> taskPorts) {
    return new VipRoute("vip-proxy-test.marathon.l4lb.corral", VIP_IP, vipPort, protocol,
        taskPorts.stream().map(p -> new InetSocketAddress("127.0.0.1", p)).toList());
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
  void balancesNewConnectionsRoundRobinAndFollowsBackendUpdates() throws Exception {
    int a = server("a");
    int b = server("b");
    int c = server("c");
    int vipPort = freePort();
    proxy = new VipProxy().start();
    proxy.update(List.of(route("tcp", vipPort, List.of(a, b))));
    InetSocketAddress vip = new InetSocketAddress(VIP_IP, vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(vip));

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(get(vip));
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b", "a", "b");

    // scaled down: only b
    proxy.update(List.of(route("tcp", vipPort, List.of(b))));
    await().atMost(Duration.ofSeconds(5)).until(() -> get(vip).equals("b") && get(vip).equals("b"));
    for (int i = 0; i < 4; i++) {
      assertThat(get(vip)).isEqualTo("b");
    }

    // scaled up: b and c, on the same listener
    proxy.update(List.of(route("tcp", vipPort, List.of(b, c))));
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      Set<String> now = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        now.add(get(vip));
      }
      return now.equals(Set.of("b", "c"));
    });

    proxy.update(List.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().isEmpty());
  }

  @Test
  void aBackendThatRefusesIsSkipped() throws Exception {
    int a = server("a");
    int dead = freePort();
    int vipPort = freePort();
    proxy = new VipProxy().start();
    proxy.update(List.of(route("tcp", vipPort, List.of(dead, a))));
    InetSocketAddress vip = new InetSocketAddress(VIP_IP, vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(vip));
    for (int i = 0; i < 4; i++) {
      assertThat(get(vip)).isEqualTo("a");
    }
  }

  @Test
  void listensOnTheVipMovedIntoAnotherLoopbackNetworkWhenAsked() throws Exception {
    int a = server("a");
    int vipPort = freePort();
    proxy = new VipProxy(ListenAddresses.parse("127.79.0.0/16"), VipProxy.DEFAULT_UDP_IDLE, Clock.systemUTC())
        .start();
    proxy.update(List.of(route("tcp", vipPort, List.of(a))));
    InetSocketAddress moved = new InetSocketAddress("127.79.200.17", vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(moved));
    assertThat(get(moved)).isEqualTo("a");
  }

  @Test
  void relaysUdpPerClientFlowAndSpreadsNewClients() throws Exception {
    UdpEcho one = echo("one");
    UdpEcho two = echo("two");
    int vipPort = freePort();
    proxy = new VipProxy().start();
    proxy.update(List.of(route("udp", vipPort, List.of(one.port(), two.port()))));
    InetSocketAddress vip = new InetSocketAddress(VIP_IP, vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(vip));

    try (DatagramSocket c1 = client(); DatagramSocket c2 = client()) {
      String first = ask(c1, vip, "hello");
      // a client's datagrams stay on its flow's backend
      assertThat(ask(c1, vip, "again")).isEqualTo(first.replace("hello", "again"));
      assertThat(first).matches("(one|two):hello");
      // the next client goes to the other backend
      String second = ask(c2, vip, "hi");
      assertThat(second.split(":")[0]).isNotEqualTo(first.split(":")[0]);
      // the answers come from the VIP's address
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      c1.send(new DatagramPacket("x".getBytes(StandardCharsets.UTF_8), 1, vip));
      c1.receive(p);
      assertThat(p.getSocketAddress()).isEqualTo(vip);
    }
  }

  @Test
  void udpFlowsToABackendThatLeftMoveToTheOthers() throws Exception {
    UdpEcho one = echo("one");
    UdpEcho two = echo("two");
    int vipPort = freePort();
    proxy = new VipProxy().start();
    proxy.update(List.of(route("udp", vipPort, List.of(one.port(), two.port()))));
    InetSocketAddress vip = new InetSocketAddress(VIP_IP, vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(vip));
    try (DatagramSocket c1 = client(); DatagramSocket c2 = client()) {
      ask(c1, vip, "a");
      ask(c2, vip, "b");
      proxy.update(List.of(route("udp", vipPort, List.of(two.port()))));
      await().atMost(Duration.ofSeconds(5)).until(() -> ask(c1, vip, "c").equals("two:c"));
      assertThat(ask(c2, vip, "d")).isEqualTo("two:d");
    }
  }

  @Test
  void anIdleUdpFlowEndsAndTheClientsNextDatagramOpensANewOne() throws Exception {
    UdpEcho one = echo("one");
    UdpEcho two = echo("two");
    int vipPort = freePort();
    dev.corral.common.FakeClock clock = new dev.corral.common.FakeClock();
    proxy = new VipProxy(ListenAddresses.same(), Duration.ofSeconds(60), clock).start();
    List<VipRoute> routes = List.of(route("udp", vipPort, List.of(one.port(), two.port())));
    proxy.update(routes);
    InetSocketAddress vip = new InetSocketAddress(VIP_IP, vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains(vip));
    try (DatagramSocket c = client()) {
      String first = ask(c, vip, "a").split(":")[0];
      clock.advance(Duration.ofSeconds(30));
      proxy.update(routes); // wakes the selector: the idle sweep runs on the proxy's own thread
      assertThat(ask(c, vip, "b")).as("30 s idle: the same flow").isEqualTo(first + ":b");
      clock.advance(Duration.ofSeconds(61));
      proxy.update(routes);
      // the flow ended: the client's next datagram opens a new one, to the next task in rotation
      await().atMost(Duration.ofSeconds(5)).until(() -> !ask(c, vip, "c").startsWith(first + ":"));
    }
  }

  @Test
  void tcpAndUdpOnTheSameVipAndPortAreSeparateListeners() throws Exception {
    int web = server("web");
    UdpEcho echo = echo("udp");
    int vipPort = freePort();
    proxy = new VipProxy().start();
    proxy.update(List.of(route("tcp", vipPort, List.of(web)), route("udp", vipPort, List.of(echo.port()))));
    InetSocketAddress vip = new InetSocketAddress(VIP_IP, vipPort);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      try {
        return get(vip).equals("web");
      } catch (IOException e) {
        return false;
      }
    });
    try (DatagramSocket c = client()) {
      assertThat(ask(c, vip, "x")).isEqualTo("udp:x");
    }
  }

  private UdpEcho echo(String name) throws IOException {
    UdpEcho e = new UdpEcho(name);
    echoes.add(e);
    return e;
  }

  private static DatagramSocket client() throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    s.setSoTimeout(1000);
    return s;
  }

  /** Sends one datagram and returns the first answer; retries a few times, as UDP clients do. */
  private static String ask(DatagramSocket s, InetSocketAddress to, String text) throws IOException {
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; ; attempt++) {
      s.send(new DatagramPacket(out, out.length, to));
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      try {
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
      } catch (SocketTimeoutException e) {
        if (attempt >= 4) {
          throw e;
        }
      }
    }
  }

  /** A UDP server that answers each datagram with "NAME:" and the datagram. */
  private static final class UdpEcho implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    UdpEcho(String name) throws IOException {
      socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      thread = new Thread(() -> {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
          try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            byte[] answer = (name + ":" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
          } catch (IOException e) {
            return;
          }
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

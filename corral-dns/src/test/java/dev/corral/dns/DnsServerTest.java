package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server on a loopback port, asked by dig over UDP and TCP. */
class DnsServerTest {
  private final RecordTableBuilder builder = new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress());
  private final AtomicReference<RecordTable> table = new AtomicReference<>();
  private DnsServer server;

  @BeforeEach
  void start() throws Exception {
    table.set(builder.build(1, List.of(app("/a/b/web", 2))));
    server = new DnsServer(DnsConfig.of("127.0.0.1", 0, "corral"), table::get).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static DiscoveredApp app(String id, int tasks) {
    List<DiscoveredApp.Task> list = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      list.add(new DiscoveredApp.Task(id.substring(1).replace('/', '_') + "." + String.format("%08x", i) + "-x",
          "127.0.0.1", "127.0.0.1", List.of(31000 + i), true, null));
    }
    return new DiscoveredApp(id, List.of(new DiscoveredApp.Port(0, "http", "tcp", List.of())), false, list);
  }

  @Test
  void answersAddressAndServiceRecordsOfAGroupApp() throws Exception {
    int port = server.port();
    assertThat(Dig.shortAnswer(port, "web-b-a.marathon.corral", "A")).containsExactly("127.0.0.1");
    assertThat(Dig.shortAnswer(port, "_web-b-a._tcp.marathon.corral", "SRV")).containsExactly(
        "0 1 31000 web-b-a-00000000.marathon.corral.", "0 1 31001 web-b-a-00000001.marathon.corral.");
    assertThat(Dig.shortAnswer(port, "_http._web-b-a._tcp.marathon.corral", "SRV")).hasSize(2);
    assertThat(Dig.shortAnswer(port, "WEB-B-A.Marathon.Corral", "A")).containsExactly("127.0.0.1");
    assertThat(Dig.shortAnswer(port, "leader.corral", "A")).containsExactly("127.0.0.1");
    // the SRV targets' addresses come along, so a client needs no second query
    assertThat(Dig.run(port, "+noall", "+additional", "_web-b-a._tcp.marathon.corral", "SRV"))
        .contains("web-b-a-00000000.marathon.corral.", "127.0.0.1");
  }

  @Test
  void unknownNamesAreNxdomainWithTheSoaAndOthersRefused() throws Exception {
    int port = server.port();
    assertThat(Dig.status(port, "nope.marathon.corral", "A")).isEqualTo("NXDOMAIN");
    assertThat(Dig.run(port, "+noall", "+authority", "nope.marathon.corral", "A")).contains("SOA", "ns1.corral.");
    assertThat(Dig.status(port, "web-b-a.marathon.corral", "AAAA")).isEqualTo("NOERROR");
    assertThat(Dig.status(port, "marathon.corral", "A")).isEqualTo("NOERROR");
    assertThat(Dig.status(port, "example.com", "A")).isEqualTo("REFUSED");
  }

  @Test
  void namesOutsideTheDomainGoToTheUpstreamsWhenThereAreSome() throws Exception {
    RecordTable other = new RecordTableBuilder("other", 1, InetAddress.getByName("10.9.8.7")).build(1, List.of());
    try (DnsServer upstream = new DnsServer(DnsConfig.of("127.0.0.1", 0, "other"), () -> other).start();
        DnsServer forwarding = new DnsServer(DnsConfig.of("127.0.0.1", 0, "corral").withUpstreams(
            List.of(new java.net.InetSocketAddress("127.0.0.1", upstream.port()))), table::get).start()) {
      assertThat(Dig.shortAnswer(forwarding.port(), "leader.other", "A")).containsExactly("10.9.8.7");
      assertThat(Dig.run(forwarding.port(), "+tcp", "+short", "leader.other", "A")).contains("10.9.8.7");
      assertThat(Dig.status(forwarding.port(), "nope.other", "A")).isEqualTo("NXDOMAIN");
      assertThat(Dig.shortAnswer(forwarding.port(), "leader.corral", "A")).containsExactly("127.0.0.1");
    }
  }

  @Test
  void anUpstreamReadOnEveryQueryIsFollowedWithoutARestart() throws Exception {
    RecordTable one = new RecordTableBuilder("other", 1, InetAddress.getByName("10.0.0.1")).build(1, List.of());
    RecordTable two = new RecordTableBuilder("other", 1, InetAddress.getByName("10.0.0.2")).build(1, List.of());
    AtomicReference<List<java.net.InetSocketAddress>> current = new AtomicReference<>(List.of());
    try (DnsServer first = new DnsServer(DnsConfig.of("127.0.0.1", 0, "other"), () -> one).start();
        DnsServer second = new DnsServer(DnsConfig.of("127.0.0.1", 0, "other"), () -> two).start();
        DnsServer forwarding = new DnsServer(DnsConfig.of("127.0.0.1", 0, "corral"), table::get, current::get)
            .start()) {
      assertThat(Dig.status(forwarding.port(), "leader.other", "A")).as("no upstream yet").isEqualTo("REFUSED");
      current.set(List.of(new java.net.InetSocketAddress("127.0.0.1", first.port())));
      assertThat(Dig.shortAnswer(forwarding.port(), "leader.other", "A")).containsExactly("10.0.0.1");
      current.set(List.of(new java.net.InetSocketAddress("127.0.0.1", second.port())));
      assertThat(Dig.shortAnswer(forwarding.port(), "leader.other", "A")).containsExactly("10.0.0.2");
      assertThat(Dig.run(forwarding.port(), "+tcp", "+short", "leader.other", "A")).contains("10.0.0.2");
    }
  }

  @Test
  void tasksOnHostsWithIpv6AddressesHaveAaaaRecords() throws Exception {
    int port = server.port();
    DiscoveredApp dual = new DiscoveredApp("/dual", List.of(new DiscoveredApp.Port(0, "http", "tcp", List.of())),
        false, List.of(new DiscoveredApp.Task("dual.0000000a-x", "h1", "10.0.0.1", "fd00::1", List.of(31000), true,
            null), new DiscoveredApp.Task("dual.0000000b-x", "h2", null, "fd00::2", List.of(31001), true, null)));
    table.set(builder.build(2, List.of(dual, app("/a/b/web", 1))));
    assertThat(Dig.shortAnswer(port, "dual.marathon.corral", "AAAA")).containsExactlyInAnyOrder("fd00::1", "fd00::2");
    assertThat(Dig.shortAnswer(port, "dual.marathon.corral", "A")).containsExactly("10.0.0.1");
    assertThat(Dig.shortAnswer(port, "dual-0000000b.marathon.corral", "AAAA")).containsExactly("fd00::2");
    // a v6-only task has a name without A records: NOERROR and empty, not NXDOMAIN
    assertThat(Dig.status(port, "dual-0000000b.marathon.corral", "A")).isEqualTo("NOERROR");
    assertThat(Dig.shortAnswer(port, "dual-0000000b.marathon.corral", "A")).isEmpty();
    assertThat(Dig.run(port, "+noall", "+additional", "_dual._tcp.marathon.corral", "SRV")).contains("fd00::2");
    // an IPv4-only app answers AAAA with no records, NOERROR, and the SOA for negative caching
    assertThat(Dig.status(port, "web-b-a.marathon.corral", "AAAA")).isEqualTo("NOERROR");
    assertThat(Dig.shortAnswer(port, "web-b-a.marathon.corral", "AAAA")).isEmpty();
    assertThat(Dig.run(port, "+noall", "+authority", "web-b-a.marathon.corral", "AAAA")).contains("SOA");
  }

  @Test
  void tasksOnAContainerNetworkAreNamedByTheirOwnAddressAndSrvPointsAtTheirAgent() throws Exception {
    int port = server.port();
    DiscoveredApp bridged = new DiscoveredApp("/net/web", List.of(new DiscoveredApp.Port(0, "http", "tcp", List.of())),
        false, List.of(new DiscoveredApp.Task("net_web.0000000c-x", "h1", "10.0.0.1", null, List.of(31005), true,
            null, List.of("172.31.0.5"))));
    table.set(builder.build(2, List.of(bridged)));
    assertThat(Dig.shortAnswer(port, "web-net.marathon.corral", "A")).containsExactly("172.31.0.5");
    assertThat(Dig.shortAnswer(port, "web-net-0000000c.marathon.corral", "A")).containsExactly("172.31.0.5");
    assertThat(Dig.shortAnswer(port, "web-net.marathon.slave.corral", "A")).containsExactly("10.0.0.1");
    // the SRV record names the host port, so its target is the agent's address
    assertThat(Dig.shortAnswer(port, "_web-net._tcp.marathon.corral", "SRV"))
        .containsExactly("0 1 31005 web-net-0000000c.marathon.slave.corral.");
    assertThat(Dig.shortAnswer(port, "web-net-0000000c.marathon.slave.corral", "A")).containsExactly("10.0.0.1");
  }

  @Test
  void answersFollowANewTableAtOnce() throws Exception {
    int port = server.port();
    table.set(builder.build(2, List.of(app("/a/b/web", 3))));
    assertThat(Dig.shortAnswer(port, "_web-b-a._tcp.marathon.corral", "SRV")).hasSize(3);
    table.set(builder.build(3, List.of()));
    assertThat(Dig.status(port, "web-b-a.marathon.corral", "A")).isEqualTo("NXDOMAIN");
  }

  @Test
  void largeAnswersAreTruncatedOverUdpAndWholeOverTcp() throws Exception {
    int port = server.port();
    table.set(builder.build(2, List.of(app("/big", 60))));
    String udp = Dig.run(port, "+ignore", "+noedns", "_big._tcp.marathon.corral", "SRV");
    assertThat(udp).contains("flags: qr aa tc");
    assertThat(Dig.shortAnswer(port, "_big._tcp.marathon.corral", "SRV")).hasSize(60); // dig retries over TCP
    assertThat(Dig.run(port, "+tcp", "+short", "_big._tcp.marathon.corral", "SRV").lines().count()).isEqualTo(60);
  }
}

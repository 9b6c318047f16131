package dev.corral.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

class RecordTableBuilderTest {
  private final RecordTableBuilder builder = new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress());

  static DiscoveredApp web(List<DiscoveredApp.Task> tasks, boolean checks) {
    return new DiscoveredApp("/shop/web",
        List.of(new DiscoveredApp.Port(0, "http", "tcp", List.of(new Vip("web", 80))),
            new DiscoveredApp.Port(1, null, "udp,tcp", List.of())),
        checks, tasks);
  }

  static DiscoveredApp.Task task(String id, String ip, int port, boolean running, Boolean healthy) {
    return new DiscoveredApp.Task(id, "agent-" + ip, ip, List.of(port, port + 1), running, healthy);
  }

  @Test
  void runningTasksGetAddressAndServiceRecords() throws Exception {
    RecordTable t = builder.build(1, List.of(web(List.of(task("shop_web.aaaaaaaa-1", "10.0.0.1", 31000, true, null),
        task("shop_web.bbbbbbbb-2", "10.0.0.2", 31002, true, null),
        task("shop_web.cccccccc-3", "10.0.0.3", 31004, false, null)), false)));

    assertThat(addresses(t, "web-shop.marathon.corral.")).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    assertThat(addresses(t, "web-shop.marathon.slave.corral.")).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    assertThat(srv(t, "_web-shop._tcp.marathon.corral."))
        .containsExactlyInAnyOrder("web-shop-aaaaaaaa.marathon.corral.:31000", "web-shop-bbbbbbbb.marathon.corral.:31002",
            "web-shop-aaaaaaaa.marathon.corral.:31001", "web-shop-bbbbbbbb.marathon.corral.:31003");
    assertThat(srv(t, "_http._web-shop._tcp.marathon.corral."))
        .containsExactlyInAnyOrder("web-shop-aaaaaaaa.marathon.corral.:31000", "web-shop-bbbbbbbb.marathon.corral.:31002");
    assertThat(srv(t, "_web-shop._udp.marathon.corral."))
        .containsExactlyInAnyOrder("web-shop-aaaaaaaa.marathon.corral.:31001", "web-shop-bbbbbbbb.marathon.corral.:31003");
    assertThat(addresses(t, "web-shop-aaaaaaaa.marathon.corral.")).containsExactly("10.0.0.1");
    assertThat(addresses(t, "leader.corral.")).containsExactly("127.0.0.1");
    assertThat(addresses(t, "master.corral.")).containsExactly("127.0.0.1");
  }

  @Test
  void namesBetweenARecordAndTheDomainExistWithoutData() throws Exception {
    RecordTable t = builder.build(1, List.of(web(List.of(task("shop_web.a", "10.0.0.1", 31000, true, null)), false)));
    assertThat(t.exists(Name.fromString("marathon.corral."))).isTrue();
    assertThat(t.exists(Name.fromString("_tcp.marathon.corral."))).isTrue();
    assertThat(t.exists(Name.fromString("nope.marathon.corral."))).isFalse();
    assertThat(t.lookup(Name.fromString("corral.")).stream().map(Record::getType))
        .contains(Type.SOA, Type.NS);
  }

  @Test
  void anAppWithoutRunningTasksHasNoRecords() throws Exception {
    RecordTable t = builder.build(1, List.of(web(List.of(task("shop_web.a", "10.0.0.1", 31000, false, null)), false)));
    assertThat(t.exists(Name.fromString("web-shop.marathon.corral."))).isFalse();
  }

  @Test
  void vipsBalanceOverHealthyTasksOnly() throws Exception {
    RecordTable t = builder.build(1, List.of(web(List.of(task("shop_web.a", "10.0.0.1", 31000, true, true),
        task("shop_web.b", "10.0.0.2", 31002, true, false), task("shop_web.c", "10.0.0.3", 31004, true, null)),
        true)));
    assertThat(t.vips()).hasSize(1);
    RecordTable.VipEntry vip = t.vips().get(0);
    assertThat(vip.name()).isEqualTo("web.marathon.l4lb.corral");
    assertThat(vip.backends()).extracting(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
        .containsExactly("10.0.0.1:31000");
    assertThat(addresses(t, "web.marathon.l4lb.corral.")).containsExactly(vip.address().getHostAddress());
  }

  static List<String> addresses(RecordTable t, String name) throws Exception {
    return t.lookup(Name.fromString(name)).stream().filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
  }

  static List<String> srv(RecordTable t, String name) throws Exception {
    return t.lookup(Name.fromString(name)).stream().filter(r -> r instanceof SRVRecord)
        .map(r -> ((SRVRecord) r).getTarget() + ":" + ((SRVRecord) r).getPort()).toList();
  }
}

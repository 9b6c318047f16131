package dev.corral.dist.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.common.Json;
import dev.corral.dns.DnsConfig;
import dev.corral.services.placement.GpuSchedulingBehavior;
import dev.corral.state.EmbeddedZooKeeper;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Two master nodes in this JVM on one (external) ZooKeeper: one leads, the other forwards, then takes over. */
class MasterNodeElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private MasterNode.Options options(String name, String zk) {
    return new MasterNode.Options(dir.resolve(name), zk + "/corral", "127.0.0.1", 0, 0, "127.0.0.1",
        GpuSchedulingBehavior.RESTRICTED, List.of(), 0, Duration.ofSeconds(10));
  }

  private String leaderSeenBy(MasterNode node) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.httpPort() + "/v2/leader")).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.mapper().readTree(r.body()).path("leader").asText() : "";
    } catch (Exception e) {
      return "";
    }
  }

  @Test
  void theStandbyForwardsToTheLeaderAndTakesOverWhenItStops() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
         MasterNode b = new MasterNode(options("b", zk.connectString()))) {
      MasterNode a = new MasterNode(options("a", zk.connectString())).start();
      String addressA = "127.0.0.1:" + a.httpPort();
      try {
        await().atMost(WAIT).until(() -> a.leader().map(l -> l.http().equals(addressA)).orElse(false));
        assertThat(a.leader().orElseThrow().epoch()).isEqualTo(1);
        b.start();
        String addressB = "127.0.0.1:" + b.httpPort();
        await().atMost(WAIT).until(() -> leaderSeenBy(b).equals(addressA));
        assertThat(leaderSeenBy(a)).isEqualTo(addressA);

        // an app created through the standby: the leader stores it, the standby's copy follows
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + b.httpPort() + "/v2/apps"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"id\": \"/kept\", \"cmd\": \"sleep 60\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 2}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(WAIT).until(b::standbyCopyLoaded);

        a.close(); // a clean stop leaves the election at once
        await().atMost(WAIT).until(() -> b.leader().map(l -> l.http().equals(addressB)).orElse(false));
        assertThat(b.leader().orElseThrow().epoch()).isEqualTo(2);
        await().atMost(WAIT).until(() -> leaderSeenBy(b).equals(addressB));
        assertThat(b.tookOverFromCopy()).as("the new leader started from its copy, without reading the store")
            .isTrue();
        HttpResponse<String> apps = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + b.httpPort() + "/v2/apps/kept")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.mapper().readTree(apps.body()).path("app").path("instances").asInt()).isEqualTo(2);
      } finally {
        a.close();
      }
    }
  }

  /**
   * A standby whose DNS port is still held when it starts (as by its own closing leader term) keeps trying,
   * and forwards to the leader's DNS once the port is free: it does not give up after a few attempts.
   */
  @Test
  void aStandbyWhoseDnsPortIsBusyServesItOnceTheHolderLetsGo() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
         DatagramSocket holder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
         MasterNode a = new MasterNode(options("a", zk.connectString())).withDns(dns(0));
         MasterNode b = new MasterNode(options("b", zk.connectString())).withDns(dns(holder.getLocalPort()))) {
      a.start();
      await().atMost(WAIT).until(() -> a.leader().isPresent());
      b.start();
      Thread.sleep(3_000); // longer than the attempts a standby used to make before giving up
      holder.close();
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", b.dnsPort()));
      resolver.setTimeout(Duration.ofSeconds(1));
      Message query = Message.newQuery(Record.newRecord(Name.fromString("leader.corral."), Type.A, DClass.IN));
      await().atMost(WAIT).ignoreExceptions().until(() -> resolver.send(query).getSection(Section.ANSWER).size() == 1);
      assertThat(resolver.send(query).getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("127.0.0.1");
    }
  }

  private static DnsConfig dns(int port) {
    return new DnsConfig("127.0.0.1", port, DnsConfig.DEFAULT_DOMAIN, DnsConfig.DEFAULT_TTL, List.of());
  }
}

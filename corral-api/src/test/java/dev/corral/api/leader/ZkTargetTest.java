package dev.corral.api.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ZkTargetTest {
  @Test
  void parsesHostsAndRoot() {
    assertThat(ZkTarget.parse("zk://a:2181,b:2181/corral")).isEqualTo(new ZkTarget("a:2181,b:2181", "corral"));
    assertThat(ZkTarget.parse("a:2181")).isEqualTo(new ZkTarget("a:2181", "corral"));
    assertThat(ZkTarget.parse("zk://a:2181/prod/corral/")).isEqualTo(new ZkTarget("a:2181", "prod/corral"));
    assertThatThrownBy(() -> ZkTarget.parse("zk:///corral")).hasMessageContaining("host:port");
  }

  @Test
  void theChannelTargetIsAUriThatParsesBack() {
    ZkTarget target = ZkTarget.parse("zk://a:2181,b:2182,c:2183/corral");
    URI uri = URI.create(target.channelTarget());
    assertThat(uri.getScheme()).isEqualTo("zk");
    assertThat(ZkTarget.of(uri)).isEqualTo(target);
    assertThat(ZkTarget.of(URI.create("zk://a:2181/corral"))).isEqualTo(new ZkTarget("a:2181", "corral"));
  }

  @Test
  void leaderRecordsRoundTrip() throws Exception {
    LeaderInfo info = new LeaderInfo("m1:7070", "m1", "m1:7070", "m1:5050", 3, 53, false);
    assertThat(LeaderInfo.fromBytes(info.toBytes())).isEqualTo(info);
    // A started leader's record is what masters before the starting flag wrote, and read it the same way.
    assertThat(new String(info.toBytes(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("starting");
    LeaderInfo starting = new LeaderInfo("m1:7070", "m1", "m1:7070", "m1:5050", 3, 53, true);
    assertThat(LeaderInfo.fromBytes(starting.toBytes())).isEqualTo(starting);
    assertThat(LeaderInfo.fromBytes("""
        {"id":"m1:7070","hostname":"m1","http":"m1:7070","grpc":"m1:5050","epoch":3,"dns":53}
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(info);
  }
}

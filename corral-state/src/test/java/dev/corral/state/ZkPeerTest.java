package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZkPeerTest {
  @Test
  void parsesTheEnsembleAndItsConnectString() {
    List<ZkPeer> peers = ZkPeer.parseAll("1=m1:2181:2888:3888, 2=m2:2182:2889:3889,3=10.0.0.3:2181:2888:3888");
    assertThat(peers).containsExactly(new ZkPeer(1, "m1", 2181, 2888, 3888), new ZkPeer(2, "m2", 2182, 2889, 3889),
        new ZkPeer(3, "10.0.0.3", 2181, 2888, 3888));
    assertThat(ZkPeer.connectString(peers)).isEqualTo("m1:2181,m2:2182,10.0.0.3:2181");
  }

  @Test
  void rejectsMalformedEntriesNamingThem() {
    assertThatThrownBy(() -> ZkPeer.parseAll("1=m1:2181:2888")).hasMessageContaining("'1=m1:2181:2888'");
    assertThatThrownBy(() -> ZkPeer.parseAll("m1:2181:2888:3888")).hasMessageContaining("id=host");
    assertThatThrownBy(() -> ZkPeer.parseAll("1=m1:2181:2888:3888,1=m2:2181:2888:3888"))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> ZkPeer.parseAll("0=m1:2181:2888:3888")).hasMessageContaining("1..255");
    assertThatThrownBy(() -> ZkPeer.parseAll("1=m1:99999:2888:3888")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> ZkPeer.parseAll("x=m1:2181:2888:3888")).hasMessageContaining("expected id=");
  }
}

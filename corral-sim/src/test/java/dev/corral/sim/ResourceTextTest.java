package dev.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.Ranges;
import dev.corral.api.ResourceSet;
import org.junit.jupiter.api.Test;

class ResourceTextTest {
  @Test
  void readsScalarsRangesAndRoles() {
    ResourceSet r = ResourceSet.fromProto(ResourceText.parse("cpus:4; mem:1024;cpus(web):2;ports:[31000-31009,32000]"));

    assertThat(r.scalar("cpus", "*")).isEqualTo(4);
    assertThat(r.scalar("cpus", "web")).isEqualTo(2);
    assertThat(r.scalar("mem")).isEqualTo(1024);
    assertThat(r.ranges("ports", "*")).isEqualTo(Ranges.of(31000, 31009).plus(Ranges.of(32000, 32000)));
  }

  @Test
  void namesThePartItCannotRead() {
    assertThatThrownBy(() -> ResourceText.parse("cpus:4;mem")).hasMessageContaining("'mem'");
    assertThatThrownBy(() -> ResourceText.parse("cpus:lots")).hasMessageContaining("'cpus:lots'");
    assertThatThrownBy(() -> ResourceText.parse("cpus:-1")).hasMessageContaining("cpus");
  }
}

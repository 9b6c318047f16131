package dev.corral.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceSetTest {
  private final ResourceSet agent = ResourceSet.builder()
      .scalar("cpus", 2).scalar("mem", 1024).scalar("cpus", "ads", 1)
      .ranges("ports", Ranges.of(31000, 31009)).build();

  @Test
  void minusAndContainsRespectRolesAndEpsilon() {
    ResourceSet task = ResourceSet.builder().scalar("cpus", 0.1).scalar("cpus", 0.2).scalar("mem", 32)
        .ranges("ports", Ranges.of(31000, 31000)).build();
    ResourceSet left = agent.minus(task);
    assertThat(left.scalar("cpus", "*")).isCloseTo(1.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(left.scalar("cpus")).isCloseTo(2.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(left.ranges("ports").toString()).isEqualTo("[31001-31009]");
    assertThat(ResourceSet.builder().scalar("cpus", 0.3).build()
        .contains(ResourceSet.builder().scalar("cpus", 0.1).scalar("cpus", 0.2).build())).isTrue();
  }

  @Test
  void reservedResourcesOnlyForTheirRole() {
    assertThat(agent.allocatableTo("web").scalar("cpus")).isEqualTo(2.0);
    assertThat(agent.allocatableTo("ads").scalar("cpus")).isEqualTo(3.0);
  }

  @Test
  void protoRoundTrip() {
    assertThat(ResourceSet.fromProto(agent.toProto())).isEqualTo(agent);
  }

  @Test
  void equalScalarsOfSeparateSetsShareTheirMessages() {
    ResourceSet one = ResourceSet.builder().scalar("cpus", 16).scalar("mem", 65536).scalar("cpus", "ads", 1).build();
    ResourceSet other = ResourceSet.builder().scalar("cpus", "ads", 1).scalar("mem", 65536).scalar("cpus", 16).build();
    ResourceSet smaller = ResourceSet.builder().scalar("cpus", 8).scalar("mem", 65536).build();

    for (int i = 0; i < one.toProto().size(); i++) {
      assertThat(other.toProto().get(i)).isSameAs(one.toProto().get(i));
    }
    assertThat(smaller.toProto().get(0)).as("cpus 8").isNotSameAs(one.toProto().get(0));
    assertThat(smaller.toProto().get(0).getScalar()).isEqualTo(8.0);
    assertThat(smaller.toProto().get(1)).as("the same mem").isSameAs(one.toProto().get(2));
    assertThat(ResourceSet.fromProto(other.toProto())).isEqualTo(one);
  }

  @Test
  void rejectsNegativeAndMisfits() {
    assertThatThrownBy(() -> ResourceSet.builder().scalar("mem", -1)).hasMessageContaining("mem");
    assertThatThrownBy(() -> agent.minus(ResourceSet.builder().scalar("mem", 4096).build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

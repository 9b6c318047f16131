package dev.corral.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void sizesTakeBinaryUnits() {
    assertThat(Sizes.parse("2GiB")).isEqualTo(2L << 30);
    assertThat(Sizes.parse("512MiB")).isEqualTo(512L << 20);
    assertThat(Sizes.parse("10M")).isEqualTo(10L << 20);
    assertThat(Sizes.parse("100m")).isEqualTo(100L << 20);
    assertThat(Sizes.parse("512KiB")).isEqualTo(512L << 10);
    assertThat(Sizes.parse("1.5G")).isEqualTo(3L << 29);
    assertThat(Sizes.parse("4096")).isEqualTo(4096);
    assertThatThrownBy(() -> Sizes.parse("lots")).hasMessageContaining("not a size");
    assertThatThrownBy(() -> Sizes.parse("-1G")).hasMessageContaining("not a size");
  }
}

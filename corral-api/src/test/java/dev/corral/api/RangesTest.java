package dev.corral.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RangesTest {
  @Test
  void plusMergesOverlappingAndAdjacentRanges() {
    Ranges r = Ranges.of(10, 20).plus(Ranges.of(21, 25)).plus(Ranges.of(5, 12)).plus(Ranges.of(40, 40));
    assertThat(r.toString()).isEqualTo("[5-25, 40-40]");
    assertThat(r.size()).isEqualTo(22);
  }

  @Test
  void minusSplitsRanges() {
    Ranges r = Ranges.of(31000, 31010).minus(Ranges.of(31003, 31004)).minus(Ranges.of(31010, 31020));
    assertThat(r.toString()).isEqualTo("[31000-31002, 31005-31009]");
    assertThat(r.contains(31003)).isFalse();
    assertThat(r.contains(31009)).isTrue();
  }

  @Test
  void containsAllAndFirst() {
    Ranges r = Ranges.of(1, 3).plus(Ranges.of(7, 9));
    assertThat(r.containsAll(Ranges.ofValues(java.util.List.of(2L, 8L)))).isTrue();
    assertThat(r.containsAll(Ranges.of(3, 7))).isFalse();
    assertThat(r.first(4)).containsExactly(1L, 2L, 3L, 7L);
  }

  @Test
  void rejectsInvertedRange() {
    assertThatThrownBy(() -> Ranges.of(5, 4)).hasMessageContaining("[5-4]");
  }
}

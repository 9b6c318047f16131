package dev.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.ResourceSet;
import org.junit.jupiter.api.Test;

class OfferTableTest {
  private final OfferTable table = new OfferTable("run-1");

  private Offer put(long seq) {
    Offer offer = new Offer(seq, table.id(seq), "f", "a", ResourceSet.EMPTY, Scalars.ZERO);
    table.put(offer);
    return offer;
  }

  @Test
  void findsAnOfferByItsIdUntilItIsRemoved() {
    Offer seven = put(7);
    Offer big = put(123_456_789_012L);
    assertThat(seven.id).isEqualTo("run-1-O7");
    assertThat(table.get("run-1-O7")).isSameAs(seven);
    assertThat(table.get("run-1-O123456789012")).isSameAs(big);
    assertThat(table.size()).isEqualTo(2);
    table.remove(seven);
    assertThat(table.get("run-1-O7")).isNull();
    assertThat(table.values()).containsExactly(big);
  }

  @Test
  void idsOfOtherRunsOrOtherFormsFindNothing() {
    put(7);
    assertThat(table.get("run-2-O7")).as("another master run").isNull();
    assertThat(table.get("run-1-O07")).as("the same number written differently").isNull();
    assertThat(table.get("run-1-O")).isNull();
    assertThat(table.get("run-1-O7x")).isNull();
    assertThat(table.get("run-1-O-7")).isNull();
    assertThat(table.get("run-1-O99999999999999999999")).as("beyond a long").isNull();
    assertThat(table.get("")).isNull();
  }
}

package dev.corral.services.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.Offer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferStatsRecorderTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private static OfferMatcher.Outcome unused(String agent, RejectReason... reasons) {
    Offer offer = Offer.newBuilder().setOfferId("o-" + agent).setAgentId(agent).setHostname(agent).build();
    return new OfferMatcher.Outcome("/a", 0, new Rejection(List.of(reasons), "why"), offer);
  }

  @Test
  void keepsTheLastUnusedOfferOfTheMostRecentAgentsOnly() {
    OfferStatsRecorder r = new OfferStatsRecorder();
    int agents = OfferStatsRecorder.MAX_UNUSED_OFFERS + 5;
    for (int i = 0; i < agents; i++) {
      r.record(unused("agent-" + i, RejectReason.INSUFFICIENT_CPUS), T0.plusSeconds(i));
    }
    r.record(unused("agent-10", RejectReason.INSUFFICIENT_MEMORY), T0.plusSeconds(100));

    List<UnusedOffer> kept = r.snapshot().lastUnusedOffers();
    assertThat(kept).hasSize(OfferStatsRecorder.MAX_UNUSED_OFFERS);
    assertThat(kept.get(0).offer().getAgentId()).as("the five heard from first were dropped").isEqualTo("agent-5");
    assertThat(kept.get(kept.size() - 1).offer().getAgentId()).as("a repeated agent moves to the end")
        .isEqualTo("agent-10");
    assertThat(kept.get(kept.size() - 1).reasons()).containsExactly(RejectReason.INSUFFICIENT_MEMORY);
    assertThat(kept).extracting(o -> o.offer().getAgentId()).doesNotHaveDuplicates();
    assertThat(r.snapshot().processed()).isEqualTo(agents + 1);
    assertThat(r.snapshot().unused()).isEqualTo(agents + 1);
  }

  @Test
  void countsUsedOffersAsProcessedByEveryCheck() {
    OfferStatsRecorder r = new OfferStatsRecorder();
    r.record(new OfferMatcher.Outcome("/a", 2, new Rejection(RejectReason.INSUFFICIENT_CPUS, "full"), null), T0);
    r.record(unused("b", RejectReason.INSUFFICIENT_MEMORY, RejectReason.INSUFFICIENT_DISK), T0.plusSeconds(1));

    OfferStats s = r.snapshot();
    assertThat(s.processed()).isEqualTo(2);
    assertThat(s.unused()).isEqualTo(1);
    assertThat(s.lastUsedAt()).isEqualTo(T0);
    assertThat(s.lastUnusedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(s.processedBy(RejectReason.INSUFFICIENT_MEMORY)).isEqualTo(2);
    assertThat(s.declinedBy(RejectReason.INSUFFICIENT_MEMORY)).isEqualTo(1);
    assertThat(s.processedBy(RejectReason.INSUFFICIENT_DISK)).isEqualTo(1);
    assertThat(s.declinedBy(RejectReason.INSUFFICIENT_DISK)).isZero();
    assertThat(s.processedBy(RejectReason.DECLINED_SCARCE_RESOURCES)).isEqualTo(1);
    assertThat(s.lastUnusedOffers()).hasSize(1);
  }

  @Test
  void aSnapshotIsReusedUntilTheNextOffer() {
    OfferStatsRecorder r = new OfferStatsRecorder();
    assertThat(r.snapshot()).isSameAs(OfferStats.EMPTY);
    r.record(unused("a", RejectReason.UNFULFILLED_ROLE), T0);
    OfferStats first = r.snapshot();
    assertThat(r.snapshot()).isSameAs(first);
    r.record(unused("a", RejectReason.UNFULFILLED_ROLE), T0);
    assertThat(r.snapshot()).isNotSameAs(first);
  }
}

package dev.corral.examples.fintrans;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TransactionSourceTest {

  @Test
  void normalTransfersAreSmallAndBetweenDifferentAccounts() {
    TransactionSource source = new TransactionSource(new Random(1), 1000, 0);
    for (int i = 0; i < 1000; i++) {
      List<Transaction> batch = source.next(i);
      assertThat(batch).hasSize(1);
      Transaction t = batch.get(0);
      assertThat(t.timestamp()).isEqualTo(i);
      assertThat(t.from()).isNotEqualTo(t.to()).matches("acct\\d+");
      assertThat(t.amount()).isBetween(1L, TransactionSource.MAX_NORMAL_AMOUNT);
      assertThat(Transaction.parse(t.format())).isEqualTo(t);
    }
  }

  @Test
  void aBurstComesWithinFifteenSecondsThenEveryPeriodAndPassesTheThreshold() {
    TransactionSource source = new TransactionSource(new Random(2), 1000, 30_000);
    List<Long> burstTimes = new ArrayList<>();
    for (long now = 0; now <= 100_000; now += 100) {
      List<Transaction> batch = source.next(now);
      if (batch.size() > 1) {
        burstTimes.add(now);
        List<Transaction> burst = batch.subList(1, batch.size());
        assertThat(burst).hasSize(TransactionSource.BURST_TRANSFERS);
        Map<String, Long> perPair = burst.stream()
            .collect(Collectors.groupingBy(t -> t.from() + ";" + t.to(), Collectors.summingLong(Transaction::amount)));
        assertThat(perPair).hasSize(1);
        assertThat(perPair.values().iterator().next()).isGreaterThan(10_000);
        assertThat(burst).allMatch(t -> t.amount() < 1_000);
      }
    }
    assertThat(burstTimes).containsExactly(15_000L, 45_000L, 75_000L);
  }
}

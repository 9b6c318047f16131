package dev.corral.examples.fintrans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** Runs the job's logic on Flink's MiniCluster with a bounded input instead of Kafka. */
class FraudDetectionTest {

  @Test
  void flagsEachSlidingWindowWherePairSumPassesTheThreshold() throws Exception {
    List<String> lines = new ArrayList<>();
    // 25 transfers of 500 from a to b between t=61s and t=65s: 12,500 in total.
    for (int i = 0; i < 25; i++) {
      lines.add(new Transaction(61_000 + i * 160, "a", "b", 500).format());
    }
    // Another pair stays below the threshold, one line is garbage, b -> a is a different pair.
    lines.add(new Transaction(62_000, "c", "d", 9_000).format());
    lines.add(new Transaction(63_000, "c", "d", 1_000).format());
    lines.add("garbage");
    lines.add(new Transaction(64_000, "b", "a", 500).format());

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    FraudDetection.Settings settings =
        new FraudDetection.Settings(Duration.ofSeconds(60), Duration.ofSeconds(10), 10_000, Duration.ofSeconds(5));
    List<FraudAlert> alerts = new ArrayList<>();
    try (CloseableIterator<String> out = FraudDetection.apply(env.fromData(lines), settings).executeAndCollect()) {
      out.forEachRemaining(line -> alerts.add(FraudAlert.parse(line)));
    }

    // Every 60 s window sliding by 10 s that covers 61–65 s: starts 10, 20, 30, 40, 50, 60 s.
    assertThat(alerts).extracting(FraudAlert::windowStart)
        .containsExactlyInAnyOrder(10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L);
    assertThat(alerts).allSatisfy(alert -> {
      assertThat(alert.from()).isEqualTo("a");
      assertThat(alert.to()).isEqualTo("b");
      assertThat(alert.transfers()).isEqualTo(25);
      assertThat(alert.total()).isEqualTo(12_500);
      assertThat(alert.windowEnd() - alert.windowStart()).isEqualTo(60_000);
    });
  }
}

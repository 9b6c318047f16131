package dev.corral.examples.fintrans;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The job's logic, independent of Kafka: parse transfer lines, key by (from, to), sum each pair's amounts
 * over sliding event-time windows and keep the windows whose total exceeds the threshold.
 */
public final class FraudDetection {

  /** Window length, slide, threshold and how late (out of order) a transaction may arrive. */
  public record Settings(Duration window, Duration slide, long threshold, Duration outOfOrderness) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(60), Duration.ofSeconds(10), 10_000, Duration.ofSeconds(5));
    }
  }

  private FraudDetection() {}

  /** Raw lines in, fraud lines out ({@link FraudAlert#format()}). Malformed lines are dropped. */
  public static DataStream<String> apply(DataStream<String> lines, Settings settings) {
    return alerts(lines.flatMap(new Parse()).name("parse"), settings)
        .map(FraudAlert::format).name("format");
  }

  static DataStream<FraudAlert> alerts(DataStream<Transaction> transactions, Settings settings) {
    long threshold = settings.threshold();
    return transactions
        .assignTimestampsAndWatermarks(WatermarkStrategy
            .<Transaction>forBoundedOutOfOrderness(settings.outOfOrderness())
            .withTimestampAssigner((t, previous) -> t.timestamp())
            // A quiet Kafka partition must not hold every window back.
            .withIdleness(Duration.ofSeconds(10)))
        .keyBy(new ByPair())
        .window(SlidingEventTimeWindows.of(settings.window(), settings.slide()))
        .aggregate(new Sum(), new ToAlert()).name("sum per pair and window")
        .filter(alert -> alert.total() > threshold).name("over threshold");
  }

  /** Parses a line, dropping what does not parse: one bad producer must not stop the job. */
  static final class Parse implements FlatMapFunction<String, Transaction> {
    @Override
    public void flatMap(String line, Collector<Transaction> out) {
      try {
        out.collect(Transaction.parse(line));
      } catch (IllegalArgumentException e) {
        // dropped
      }
    }
  }

  /** The key is {@code from;to}: account ids never contain ';'. */
  static final class ByPair implements KeySelector<Transaction, String> {
    @Override
    public String getKey(Transaction t) {
      return t.from() + ";" + t.to();
    }
  }

  /** Accumulates (total, transfers). */
  static final class Sum implements AggregateFunction<Transaction, Tuple2<Long, Long>, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> createAccumulator() {
      return Tuple2.of(0L, 0L);
    }

    @Override
    public Tuple2<Long, Long> add(Transaction t, Tuple2<Long, Long> acc) {
      return Tuple2.of(acc.f0 + t.amount(), acc.f1 + 1);
    }

    @Override
    public Tuple2<Long, Long> getResult(Tuple2<Long, Long> acc) {
      return acc;
    }

    @Override
    public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
      return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1);
    }
  }

  /** Adds the pair and the window's bounds to the sum. */
  static final class ToAlert extends ProcessWindowFunction<Tuple2<Long, Long>, FraudAlert, String, TimeWindow> {
    @Override
    public void process(String key, Context context, Iterable<Tuple2<Long, Long>> sums, Collector<FraudAlert> out) {
      String[] pair = key.split(";", 2);
      Tuple2<Long, Long> sum = sums.iterator().next();
      TimeWindow w = context.window();
      out.collect(new FraudAlert(w.getStart(), w.getEnd(), pair[0], pair[1], sum.f1, sum.f0));
    }
  }
}

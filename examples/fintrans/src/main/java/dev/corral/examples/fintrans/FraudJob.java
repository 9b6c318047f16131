package dev.corral.examples.fintrans;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink job: {@code transactions} topic → {@link FraudDetection} → {@code fraud} topic.
 *
 * <p>Program arguments: {@code --bootstrap host:port} (required), {@code --window} seconds (60), {@code --slide}
 * seconds (10), {@code --threshold} (10000), {@code --in} (transactions), {@code --out} (fraud).
 */
public final class FraudJob {

  private FraudJob() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String bootstrap = args.bootstrap();
    FraudDetection.Settings settings = new FraudDetection.Settings(
        Duration.ofSeconds(args.getLong("window", null, 60)),
        Duration.ofSeconds(args.getLong("slide", null, 10)),
        args.getLong("threshold", null, 10_000),
        Duration.ofSeconds(args.getLong("out-of-orderness", null, 5)));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(10_000);

    KafkaSource<String> source = KafkaSource.<String>builder()
        .setBootstrapServers(bootstrap)
        .setTopics(args.get("in", null, "transactions"))
        .setGroupId("fraud-job")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    KafkaSink<String> sink = KafkaSink.<String>builder()
        .setBootstrapServers(bootstrap)
        .setRecordSerializer(KafkaRecordSerializationSchema.builder()
            .setTopic(args.get("out", null, "fraud"))
            .setValueSerializationSchema(new SimpleStringSchema())
            .build())
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();

    // Event time comes from the records themselves (assigned in FraudDetection), not from Kafka.
    DataStream<String> lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), "transactions");
    FraudDetection.apply(lines, settings).sinkTo(sink).name("fraud");
    env.execute("fraud detection");
  }
}

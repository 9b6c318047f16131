package dev.corral.examples.fintrans;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints every record of the {@code fraud} topic to stdout, one line each, flushed at once so a task log
 * shows it immediately. Options: {@code --bootstrap} ({@code KAFKA_BOOTSTRAP}), {@code --topic} ({@code TOPIC},
 * fraud), {@code --group} ({@code GROUP}, fraud-viewer).
 */
public final class Viewer {

  private Viewer() {}

  public static void main(String[] argv) {
    Args args = new Args(argv);
    String topic = args.get("topic", "TOPIC", "fraud");
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, args.get("group", "GROUP", "fraud-viewer"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    System.out.println("watching topic " + topic);
    System.out.flush();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (true) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          System.out.println(display(record.value()));
          System.out.flush();
        }
      }
    }
  }

  /** A fraud record in words; anything else as it came. */
  static String display(String value) {
    try {
      return FraudAlert.parse(value).describe();
    } catch (IllegalArgumentException e) {
      return value;
    }
  }
}

package dev.corral.examples.fintrans;

import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes transactions to Kafka at a steady rate, with a burst of small transfers between one pair of accounts
 * every {@code --burst-every} seconds (the fraud the job should find).
 *
 * <p>Options (environment fallbacks): {@code --bootstrap} ({@code KAFKA_BOOTSTRAP}), {@code --rate} transactions
 * per second ({@code RATE}, 20), {@code --accounts} ({@code ACCOUNTS}, 1000), {@code --burst-every} seconds
 * ({@code BURST_EVERY}, 30; 0 = never), {@code --topic} ({@code TOPIC}, transactions).
 */
public final class Generator {

  private Generator() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String bootstrap = args.bootstrap();
    String topic = args.get("topic", "TOPIC", "transactions");
    double rate = args.getDouble("rate", "RATE", 20);
    TransactionSource source = new TransactionSource(new Random(),
        (int) args.getLong("accounts", "ACCOUNTS", 1000), args.getLong("burst-every", "BURST_EVERY", 30) * 1000);

    try (Admin admin = Topics.admin(bootstrap)) {
      Topics.ensure(admin, Set.of(topic, "fraud"));
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    System.out.println("writing " + rate + " transactions/s to " + topic + " on " + bootstrap);

    long periodNanos = (long) (1_000_000_000L / rate);
    long sent = 0;
    long reportAt = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      long next = System.nanoTime();
      while (true) {
        long now = System.currentTimeMillis();
        List<Transaction> batch = source.next(now);
        for (Transaction t : batch) {
          // Keyed by the pair, so one pair's transfers stay in order on one partition.
          producer.send(new ProducerRecord<>(topic, t.from() + "->" + t.to(), t.format()));
        }
        sent += batch.size();
        if (batch.size() > 1) {
          Transaction burst = batch.get(1);
          System.out.println("burst of " + (batch.size() - 1) + " transfers " + burst.from() + " -> " + burst.to());
        }
        if (now >= reportAt) {
          System.out.println("sent " + sent + " transactions");
          reportAt = now + 60_000;
        }
        next += periodNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
    }
  }
}

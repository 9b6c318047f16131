package dev.corral.examples.fintrans;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates and lists Kafka topics through the Admin client: the topic API of the demo.
 *
 * <pre>
 * java -cp 'lib/*' dev.corral.examples.fintrans.Topics [--bootstrap host:port] create NAME [--partitions N] [--replication R]
 * java -cp 'lib/*' dev.corral.examples.fintrans.Topics [--bootstrap host:port] list
 * </pre>
 */
public final class Topics {

  private Topics() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    List<String> words = args.positional();
    try (Admin admin = admin(args.bootstrap())) {
      if (words.size() == 2 && words.get(0).equals("create")) {
        boolean created = create(admin, words.get(1), (int) args.getLong("partitions", null, 1),
            (short) args.getLong("replication", null, 1));
        System.out.println((created ? "created " : "exists ") + words.get(1));
      } else if (words.size() == 1 && words.get(0).equals("list")) {
        new TreeSet<>(admin.listTopics().names().get()).forEach(System.out::println);
      } else {
        System.err.println("usage: Topics [--bootstrap host:port] create NAME [--partitions N] [--replication R] | list");
        System.exit(2);
      }
    }
  }

  static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(props);
  }

  /** Creates the topic unless it exists; true when this call created it. */
  static boolean create(Admin admin, String name, int partitions, short replication)
      throws InterruptedException, ExecutionException {
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, replication))).all().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw e;
    }
  }

  /** Creates each missing topic with one partition and one replica. */
  static void ensure(Admin admin, Set<String> names) throws InterruptedException, ExecutionException {
    Set<String> existing = admin.listTopics().names().get();
    for (String name : names) {
      if (!existing.contains(name)) {
        create(admin, name, 1, (short) 1);
      }
    }
  }

}

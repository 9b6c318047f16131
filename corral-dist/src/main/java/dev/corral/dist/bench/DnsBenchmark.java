package dev.corral.dist.bench;

import dev.corral.dns.DiscoveredApp;
import dev.corral.dns.DnsConfig;
import dev.corral.dns.DnsServer;
import dev.corral.dns.RecordTable;
import dev.corral.dns.RecordTableBuilder;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The master's DNS server under load on loopback: a record table of many apps (as the services scheduler
 * would build it), and client threads each sending one UDP query at a time — A and SRV for random apps —
 * for a fixed time. Prints answered queries per second and the latency percentiles.
 */
@Command(name = "dns", description = "DNS queries per second answered by the master's server on loopback.")
public final class DnsBenchmark implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--apps", defaultValue = "1000", description = "Apps in the table (default: ${DEFAULT-VALUE}).")
  int apps;

  @Option(names = "--tasks", defaultValue = "3", description = "Running tasks per app (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--clients", defaultValue = "4", description = "Client threads (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<DiscoveredApp> list = new ArrayList<>();
    for (int a = 0; a < apps; a++) {
      List<DiscoveredApp.Task> running = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        running.add(new DiscoveredApp.Task("app" + a + ".task-" + t, "127.0.0.1", "127.0.0.1",
            List.of(31000 + t), true, null));
      }
      list.add(new DiscoveredApp("/bench/app" + a, List.of(new DiscoveredApp.Port(0, "http", "tcp", List.of())),
          false, running));
    }
    long built = System.nanoTime();
    RecordTable table = new RecordTableBuilder("corral", 1, InetAddress.getLoopbackAddress()).build(1, list);
    double buildMs = (System.nanoTime() - built) / 1e6;
    try (DnsServer server = new DnsServer(DnsConfig.of("127.0.0.1", 0, "corral"), () -> table).start()) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.port());
      run(target, 2); // warm-up
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Future<Client>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(pool.submit(() -> query(target, end)));
      }
      long[] micros = new long[0];
      long failed = 0;
      for (Future<Client> f : results) {
        Client c = f.get();
        int at = micros.length;
        micros = java.util.Arrays.copyOf(micros, at + c.count);
        System.arraycopy(c.micros, 0, micros, at, c.count);
        failed += c.failures;
      }
      pool.shutdown();
      long answered = micros.length;
      Percentiles all = new Percentiles(micros);
      out.printf("DNS benchmark: %,d apps × %d tasks (%,d names, table built in %.0f ms), %d clients, %d s, %d cores%n",
          apps, tasks, table.records().size(), buildMs, clients, seconds, Runtime.getRuntime().availableProcessors());
      out.printf("  answered: %,d queries/s (%,d in all, %,d unanswered or wrong)%n", answered / seconds, answered, failed);
      out.printf("  latency:  p50 %d µs  p99 %d µs  max %d µs%n", all.at(50), all.at(99), all.at(100));
    }
    return 0;
  }

  private void run(InetSocketAddress target, int warmupSeconds) throws Exception {
    query(target, System.nanoTime() + warmupSeconds * 1_000_000_000L);
  }

  /** One client's answered latencies (µs) and its failures. */
  private static final class Client {
    long[] micros = new long[1 << 16];
    int count;
    long failures;

    void add(long nanos) {
      if (count == micros.length) {
        micros = java.util.Arrays.copyOf(micros, count * 2);
      }
      micros[count++] = nanos / 1_000;
    }
  }

  /** Queries until {@code end}, one at a time; A and SRV alternately for random apps. */
  private Client query(InetSocketAddress target, long end) throws Exception {
    Client latencies = new Client();
    byte[] buffer = new byte[4096];
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(1000);
      socket.connect(target);
      int i = 0;
      while (System.nanoTime() < end) {
        int app = ThreadLocalRandom.current().nextInt(apps);
        boolean srv = (i++ & 1) == 1;
        Name name = Name.fromString(srv ? "_app" + app + "-bench._tcp.marathon.corral." : "app" + app
            + "-bench.marathon.corral.");
        Message query = Message.newQuery(Record.newRecord(name, srv ? Type.SRV : Type.A, 1));
        byte[] wire = query.toWire();
        long start = System.nanoTime();
        socket.send(new DatagramPacket(wire, wire.length));
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(reply);
        } catch (SocketTimeoutException e) {
          latencies.failures++;
          continue;
        }
        Message answer = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
        // SRV: one per task; A: one per distinct host (all tasks are on 127.0.0.1 here)
        int expected = srv ? tasks : 1;
        if (answer.getRcode() != Rcode.NOERROR || answer.getSection(Section.ANSWER).size() != expected) {
          latencies.failures++;
          continue;
        }
        latencies.add(System.nanoTime() - start);
      }
    }
    return latencies;
  }
}

package dev.corral.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards queries for names outside the domain to the resolvers, in order, until one answers. The list is
 * read on every query, so a server whose upstream moves (a standby master forwarding to the leader) follows
 * it without a restart. Blocking; the server calls it on its bounded forwarding pool. Thread-safe.
 */
final class Upstreams {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final Supplier<List<InetSocketAddress>> servers;

  Upstreams(Supplier<List<InetSocketAddress>> servers) {
    this.servers = servers;
  }

  /** The resolvers to ask now; read once per query (a standby's reads the leader record). */
  List<InetSocketAddress> current() {
    return servers.get();
  }

  /** The first answer of {@code to} (from {@link #current}); SERVFAIL when none answers. */
  Message forward(Message query, boolean tcp, List<InetSocketAddress> to) {
    for (InetSocketAddress server : to) {
      try {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(TIMEOUT);
        resolver.setTCP(tcp);
        Message response = resolver.send(query);
        response.getHeader().setID(query.getHeader().getID());
        return response;
      } catch (IOException e) {
        // try the next one
      }
    }
    Message failed = Answerer.answer(query, emptyTable());
    failed.getHeader().setRcode(Rcode.SERVFAIL);
    return failed;
  }

  private static RecordTable emptyTable() {
    return new RecordTableBuilder("invalid", 0, java.net.InetAddress.getLoopbackAddress()).build(0, List.of());
  }
}

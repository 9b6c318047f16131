package dev.corral.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards queries for names outside the domain to the configured resolvers, in order, until one answers.
 * Blocking; the server calls it on its bounded forwarding pool. Thread-safe.
 */
final class Upstreams {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final List<InetSocketAddress> servers;

  Upstreams(List<InetSocketAddress> servers) {
    this.servers = List.copyOf(servers);
  }

  boolean isEmpty() {
    return servers.isEmpty();
  }

  /** The first upstream answer; SERVFAIL when none answers. */
  Message forward(Message query, boolean tcp) {
    for (InetSocketAddress server : servers) {
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

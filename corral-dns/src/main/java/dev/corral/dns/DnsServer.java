package dev.corral.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server's sockets: one UDP socket answered by one thread (an answer is a hash lookup, so one thread
 * keeps up), and TCP for answers too large for a datagram, each connection on a bounded pool. Queries for
 * names outside the domain go to the upstreams on their own bounded pool, so a slow upstream never delays
 * our own names. A UDP answer larger than 512 bytes (or the client's EDNS size, up to 1232) is truncated
 * with TC set, and the client retries over TCP.
 *
 * <p>Thread-safe; the table is read through the supplier on every query, so a new table takes effect at once.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  static final int UDP_SIZE = 512;
  /** The EDNS payload size we offer and accept at most: the 2020 DNS flag day's, which avoids fragments. */
  static final int EDNS_SIZE = 1232;
  static final int MAX_TCP_CONNECTIONS = 32;
  static final int TCP_IDLE_MS = 10_000;

  private final DnsConfig config;
  private final Supplier<RecordTable> table;
  private final Upstreams upstreams;
  private final ThreadPoolExecutor tcpPool = pool("dns-tcp", MAX_TCP_CONNECTIONS, new SynchronousQueue<>());
  private final ThreadPoolExecutor forwardPool = pool("dns-forward", 4, new ArrayBlockingQueue<>(256));
  private DatagramSocket udp;
  private ServerSocket tcp;
  private volatile boolean closed;

  public DnsServer(DnsConfig config, Supplier<RecordTable> table) {
    this(config, table, config::upstreams);
  }

  /** A server whose upstreams are read on every forwarded query, instead of the config's fixed ones. */
  public DnsServer(DnsConfig config, Supplier<RecordTable> table, Supplier<List<InetSocketAddress>> upstreams) {
    this.config = config;
    this.table = table;
    this.upstreams = new Upstreams(upstreams);
  }

  /** Binds UDP and TCP on the same port (with port 0, a free one both have). */
  public DnsServer start() throws IOException {
    InetAddress bind = InetAddress.getByName(config.bindAddress());
    for (int attempt = 0; ; attempt++) {
      udp = new DatagramSocket(new InetSocketAddress(bind, config.port()));
      try {
        tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(bind, udp.getLocalPort()), 64);
        break;
      } catch (IOException e) {
        udp.close();
        if (config.port() != 0 || attempt >= 10) {
          throw e;
        }
      }
    }
    thread("dns-udp", this::serveUdp).start();
    thread("dns-tcp-accept", this::acceptTcp).start();
    return this;
  }

  public int port() {
    return udp.getLocalPort();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
        byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
        Message parsed = parse(query);
        List<InetSocketAddress> to = forwardTo(parsed);
        if (parsed == null) {
          sendUdp(errorFor(query), client);
        } else if (!to.isEmpty()) {
          try {
            forwardPool.execute(() -> sendUdp(wire(upstreams.forward(parsed, false, to), parsed, false), client));
          } catch (RejectedExecutionException e) {
            sendUdp(wire(refused(parsed, Rcode.SERVFAIL), parsed, false), client);
          }
        } else {
          sendUdp(wire(Answerer.answer(parsed, table.get()), parsed, false), client);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.debug("DNS query over UDP failed: {}", e.toString());
        }
      }
    }
  }

  /** Where a query for a name outside the domain goes; empty for our names, or when there is nowhere to go. */
  private List<InetSocketAddress> forwardTo(Message parsed) {
    return parsed == null || Answerer.isOurs(parsed, table.get()) ? List.of() : upstreams.current();
  }

  private void sendUdp(byte[] data, InetSocketAddress client) {
    if (data == null) {
      return;
    }
    try {
      udp.send(new DatagramPacket(data, data.length, client));
    } catch (IOException e) {
      log.debug("could not send a DNS answer to {}: {}", client, e.toString());
    }
  }

  private void acceptTcp() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        try {
          tcpPool.execute(() -> serveTcp(s));
        } catch (RejectedExecutionException e) {
          s.close(); // at the connection bound: the client retries later
        }
      } catch (IOException e) {
        if (!closed) {
          log.debug("DNS accept failed: {}", e.toString());
        }
      }
    }
  }

  /** Answers length-prefixed queries on one connection until the client closes it or goes idle. */
  private void serveTcp(Socket s) {
    try (s) {
      s.setSoTimeout(TCP_IDLE_MS);
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (!closed) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException e) {
          return;
        }
        byte[] query = in.readNBytes(length);
        Message parsed = parse(query);
        List<InetSocketAddress> to = forwardTo(parsed);
        byte[] answer;
        if (parsed == null) {
          answer = errorFor(query);
        } else if (!to.isEmpty()) {
          answer = wire(upstreams.forward(parsed, true, to), parsed, true);
        } else {
          answer = wire(Answerer.answer(parsed, table.get()), parsed, true);
        }
        if (answer == null) {
          return;
        }
        out.writeShort(answer.length);
        out.write(answer);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away or idled out
    }
  }

  /** The wire form of an answer, truncated to what the client takes over UDP. */
  private static byte[] wire(Message response, Message query, boolean tcp) {
    OPTRecord opt = query.getOPT();
    int limit = UDP_SIZE;
    if (opt != null) {
      limit = Math.max(UDP_SIZE, Math.min(opt.getPayloadSize(), EDNS_SIZE));
      if (response.getOPT() == null) {
        response.addRecord(new OPTRecord(EDNS_SIZE, 0, 0), Section.ADDITIONAL);
      }
    }
    return tcp ? response.toWire() : response.toWire(limit);
  }

  private static Message parse(byte[] query) {
    try {
      return new Message(query);
    } catch (IOException e) {
      return null;
    }
  }

  /** FORMERR for a query whose header could be read; nothing for garbage. */
  private static byte[] errorFor(byte[] query) {
    if (query.length < Header.LENGTH) {
      return null;
    }
    int id = ((query[0] & 0xff) << 8) | (query[1] & 0xff);
    return Answerer.error(id, Rcode.FORMERR).toWire();
  }

  private static Message refused(Message query, int rcode) {
    Message m = Answerer.error(query.getHeader().getID(), rcode);
    if (query.getQuestion() != null) {
      m.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return m;
  }

  @Override
  public void close() {
    closed = true;
    if (udp != null) {
      udp.close();
    }
    try {
      if (tcp != null) {
        tcp.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    tcpPool.shutdownNow();
    forwardPool.shutdownNow();
  }

  private static ThreadPoolExecutor pool(String name, int threads, java.util.concurrent.BlockingQueue<Runnable> q) {
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, q,
        r -> thread(name, r));
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}

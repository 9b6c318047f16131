package dev.corral.vip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The UDP side of one VIP: datagrams to the VIP's address are relayed per client. The first datagram of a
 * client (its address and port) opens a flow: a socket connected to the next backend in rotation, kept for
 * the client's later datagrams so that a conversation stays on one task, and whose answers go back to the
 * client from the VIP's address. A flow ends after {@code idle} without traffic either way, when its backend
 * leaves the VIP, or when the backend's host says the port is unreachable (the next datagram then opens a
 * flow to the next task). At most {@code maxFlows} flows; datagrams of new clients over the bound are dropped.
 *
 * <p>Runs on the proxy's selector thread only.
 */
final class UdpRelay {
  /** An IPv4 UDP payload is at most 65,507 bytes. */
  static final int MAX_DATAGRAM = 65_536;

  /** One client's conversation with one backend. */
  final class Flow {
    final SocketAddress client;
    final InetSocketAddress backend;
    final DatagramChannel upstream;
    long lastActive;

    Flow(SocketAddress client, InetSocketAddress backend, DatagramChannel upstream, long now) {
      this.client = client;
      this.backend = backend;
      this.upstream = upstream;
      this.lastActive = now;
    }

    UdpRelay relay() {
      return UdpRelay.this;
    }
  }

  private final Selector selector;
  /** The proxy's one datagram buffer: relays run on its selector thread only. */
  private final ByteBuffer buffer;
  private final DatagramChannel listener;
  private final int maxFlows;
  private final long idleMillis;
  private final Map<SocketAddress, Flow> flows = new HashMap<>();

  UdpRelay(Selector selector, ByteBuffer buffer, DatagramChannel listener, int maxFlows, long idleMillis) {
    this.selector = selector;
    this.buffer = buffer;
    this.listener = listener;
    this.maxFlows = maxFlows;
    this.idleMillis = idleMillis;
  }

  DatagramChannel listener() {
    return listener;
  }

  int flows() {
    return flows.size();
  }

  /** Relays every datagram waiting on the VIP's socket; {@code next} picks a backend for a new client (null: none). */
  void readClients(Supplier<InetSocketAddress> next, long now) throws IOException {
    while (true) {
      ByteBuffer buf = buffer.clear();
      SocketAddress client = listener.receive(buf);
      if (client == null) {
        return;
      }
      buf.flip();
      Flow flow = flows.get(client);
      if (flow == null) {
        if (flows.size() >= maxFlows) {
          continue;
        }
        flow = open(client, next);
        if (flow == null) {
          continue;
        }
      }
      flow.lastActive = now;
      try {
        flow.upstream.write(buf);
      } catch (IOException e) {
        // ICMP port unreachable from an earlier datagram: this backend is gone for this client
        close(flow);
      }
    }
  }

  private Flow open(SocketAddress client, Supplier<InetSocketAddress> next) {
    InetSocketAddress backend = next.get();
    if (backend == null) {
      return null;
    }
    DatagramChannel upstream = null;
    try {
      upstream = DatagramChannel.open();
      upstream.configureBlocking(false);
      upstream.connect(backend);
      Flow flow = new Flow(client, backend, upstream, 0);
      upstream.register(selector, SelectionKey.OP_READ, flow);
      flows.put(client, flow);
      return flow;
    } catch (IOException e) {
      VipProxy.closeQuietly(upstream);
      return null;
    }
  }

  /** Sends a backend's answers back to its client, from the VIP's address. */
  void readBackend(Flow flow, long now) {
    try {
      while (true) {
        ByteBuffer buf = buffer.clear();
        int n = flow.upstream.read(buf);
        if (n <= 0) {
          return;
        }
        buf.flip();
        flow.lastActive = now;
        listener.send(buf, flow.client);
      }
    } catch (IOException e) {
      close(flow);
    }
  }

  /** Ends the flows whose backend no longer serves the VIP. */
  void retain(Collection<InetSocketAddress> backends) {
    for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
      Flow f = it.next();
      if (!backends.contains(f.backend)) {
        VipProxy.closeQuietly(f.upstream);
        it.remove();
      }
    }
  }

  /** Ends the flows idle since before {@code now - idle}. */
  void expire(long now) {
    for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
      Flow f = it.next();
      if (now - f.lastActive >= idleMillis) {
        VipProxy.closeQuietly(f.upstream);
        it.remove();
      }
    }
  }

  private void close(Flow flow) {
    VipProxy.closeQuietly(flow.upstream);
    flows.remove(flow.client, flow);
  }

  void close() {
    flows.values().forEach(f -> VipProxy.closeQuietly(f.upstream));
    flows.clear();
    VipProxy.closeQuietly(listener);
  }
}

package dev.corral.vip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-space load balancer behind VIPs. For each {@link VipRoute} it listens on the VIP's address and port
 * (in 127.77.0.0/16, local without any setup; see {@link ListenAddresses} for moving it) and:
 * <ul>
 *   <li>TCP: hands each new connection to the next of the VIP's backends, round robin; a backend that does not
 *       accept is skipped for the next one. Established connections stay where they are.</li>
 *   <li>UDP: relays datagrams per client flow ({@link UdpRelay}), a new client's flow going to the next
 *       backend; flows end when idle, or when their backend leaves the VIP.</li>
 * </ul>
 * {@link #update} with a new set of routes changes listeners and rotations at once.
 *
 * <p>One selector thread does all the I/O, with at most {@link #MAX_CONNECTIONS} proxied TCP connections
 * (each with two 16 KiB buffers; one over the bound is closed at once) and {@link #MAX_FLOWS} UDP flows per VIP.
 *
 * <p>Soft state only: routes come from the master's discovery (in process on the master, over HTTP on an
 * agent: {@link VipFollower}).
 *
 * <p>Thread-safety: {@link #update} and {@link #listening} may be called from any thread; everything else runs
 * on the selector's.
 */
public final class VipProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VipProxy.class);
  static final int MAX_CONNECTIONS = 1024;
  static final int MAX_FLOWS = 1024;
  /** As long as Linux keeps an unreplied UDP conntrack entry several times over; DNS-like traffic ends sooner. */
  public static final Duration DEFAULT_UDP_IDLE = Duration.ofSeconds(60);

  /** A VIP as listened for: the protocol and the VIP's own address (not the listening one). */
  private record Key(String protocol, InetSocketAddress vip) {}

  private final UnaryOperator<InetAddress> listenAddress;
  private final Clock clock;
  private final long udpIdleMillis;
  private final Selector selector;
  private final java.nio.ByteBuffer datagrams = java.nio.ByteBuffer.allocateDirect(UdpRelay.MAX_DATAGRAM);
  private final Thread thread;
  private final Map<Key, SelectableChannel> listeners = new HashMap<>();
  private final Map<Key, UdpRelay> relays = new HashMap<>();
  private final Map<Key, Integer> nextBackend = new HashMap<>();
  private final Set<Key> warned = new HashSet<>();
  private volatile Map<Key, List<InetSocketAddress>> backends = Map.of();
  private volatile Set<InetSocketAddress> listening = Set.of();
  private volatile boolean tableChanged;
  private volatile boolean closed;
  private int connections;

  /** Listens on the VIP addresses themselves; UDP flows end after a minute idle. */
  public VipProxy() throws IOException {
    this(ListenAddresses.same(), DEFAULT_UDP_IDLE, Clock.systemUTC());
  }

  /**
   * @param listenAddress where to listen for a VIP address ({@link ListenAddresses})
   * @param udpIdle how long a UDP flow lives without traffic
   */
  public VipProxy(UnaryOperator<InetAddress> listenAddress, Duration udpIdle, Clock clock) throws IOException {
    this.listenAddress = listenAddress;
    this.clock = clock;
    this.udpIdleMillis = udpIdle.toMillis();
    this.selector = Selector.open();
    this.thread = new Thread(this::run, "vip-proxy");
    this.thread.setDaemon(true);
  }

  public VipProxy start() {
    thread.start();
    return this;
  }

  /** Takes a new set of routes: listeners for new VIPs, none for gone ones, new rotations. */
  public void update(List<VipRoute> routes) {
    Map<Key, List<InetSocketAddress>> next = new HashMap<>();
    for (VipRoute r : routes) {
      next.merge(new Key(r.protocol(), r.socketAddress()), r.backends(), (a, b) -> {
        List<InetSocketAddress> both = new java.util.ArrayList<>(a);
        b.stream().filter(x -> !a.contains(x)).forEach(both::add);
        return List.copyOf(both);
      });
    }
    backends = Map.copyOf(next);
    tableChanged = true;
    selector.wakeup();
  }

  /** The addresses the proxy listens on now, TCP and UDP alike (for tests and the log). */
  public Set<InetSocketAddress> listening() {
    return listening;
  }

  private void run() {
    long lastSweep = clock.millis();
    while (!closed) {
      try {
        if (tableChanged) {
          tableChanged = false;
          reconcileListeners();
        }
        selector.select(1000);
        long now = clock.millis();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          handle(key, now);
        }
        if (now - lastSweep >= 1000) {
          lastSweep = now;
          relays.values().forEach(r -> r.expire(now));
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.warn("VIP proxy: {}", e.toString());
        }
      }
    }
  }

  private void handle(SelectionKey key, long now) throws IOException {
    if (!key.isValid()) {
      return;
    }
    Object a = key.attachment();
    if (a instanceof Key vip && vip.protocol().equals(VipRoute.TCP)) {
      accept((ServerSocketChannel) key.channel(), vip);
    } else if (a instanceof Key vip) {
      UdpRelay relay = relays.get(vip);
      if (relay != null) {
        relay.readClients(() -> nextBackend(vip), now);
      }
    } else if (a instanceof UdpRelay.Flow flow) {
      flow.relay().readBackend(flow, now);
    } else if (a instanceof ProxiedConnection.Side side) {
      if (!side.connection().ready(key)) {
        side.connection().close();
        connections--;
        return;
      }
      if (side.connection().closed()) {
        connections--;
      }
    } else if (a instanceof Connecting c) {
      finishConnect(key, c);
    }
  }

  /** The VIP's next backend in rotation; null when it has none. */
  private InetSocketAddress nextBackend(Key vip) {
    List<InetSocketAddress> targets = backends.getOrDefault(vip, List.of());
    if (targets.isEmpty()) {
      return null;
    }
    int n = nextBackend.merge(vip, 1, Integer::sum) - 1;
    return targets.get(Math.floorMod(n, targets.size()));
  }

  private void accept(ServerSocketChannel server, Key vip) {
    SocketChannel client;
    try {
      client = server.accept();
    } catch (IOException e) {
      return;
    }
    if (client == null) {
      return;
    }
    if (connections >= MAX_CONNECTIONS) {
      closeQuietly(client);
      return;
    }
    connections++;
    connect(client, vip, 0);
  }

  /** Connects the client to the VIP's next backend; {@code tried} backends have refused already. */
  private void connect(SocketChannel client, Key vip, int tried) {
    List<InetSocketAddress> targets = backends.getOrDefault(vip, List.of());
    if (tried >= targets.size()) {
      closeQuietly(client);
      connections--;
      return;
    }
    InetSocketAddress target = nextBackend(vip);
    SocketChannel backend = null;
    try {
      backend = SocketChannel.open();
      backend.configureBlocking(false);
      backend.setOption(StandardSocketOptions.TCP_NODELAY, true);
      backend.connect(target);
      backend.register(selector, SelectionKey.OP_CONNECT, new Connecting(client, vip, tried));
    } catch (IOException e) {
      closeQuietly(backend);
      connect(client, vip, tried + 1);
    }
  }

  private void finishConnect(SelectionKey key, Connecting c) {
    SocketChannel backend = (SocketChannel) key.channel();
    try {
      backend.finishConnect();
    } catch (IOException e) {
      key.cancel();
      closeQuietly(backend);
      connect(c.client(), c.vip(), c.tried() + 1);
      return;
    }
    try {
      c.client().configureBlocking(false);
      c.client().setOption(StandardSocketOptions.TCP_NODELAY, true);
      new ProxiedConnection(selector, c.client(), key);
    } catch (IOException e) {
      closeQuietly(c.client());
      closeQuietly(backend);
      connections--;
    }
  }

  private void reconcileListeners() {
    Map<Key, List<InetSocketAddress>> wanted = backends;
    for (Iterator<Map.Entry<Key, SelectableChannel>> it = listeners.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, SelectableChannel> e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        closeQuietly(e.getValue());
        UdpRelay relay = relays.remove(e.getKey());
        if (relay != null) {
          relay.close();
        }
        nextBackend.remove(e.getKey());
        it.remove();
      }
    }
    relays.forEach((vip, relay) -> relay.retain(wanted.getOrDefault(vip, List.of())));
    for (Key vip : wanted.keySet()) {
      if (listeners.containsKey(vip)) {
        continue;
      }
      InetSocketAddress at = new InetSocketAddress(listenAddress.apply(vip.vip().getAddress()), vip.vip().getPort());
      SelectableChannel channel = null;
      try {
        if (vip.protocol().equals(VipRoute.TCP)) {
          ServerSocketChannel server = ServerSocketChannel.open();
          channel = server;
          server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
          server.bind(at, 256);
        } else {
          DatagramChannel socket = DatagramChannel.open();
          channel = socket;
          socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
          socket.bind(at);
          relays.put(vip, new UdpRelay(selector, datagrams, socket, MAX_FLOWS, udpIdleMillis));
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT & channel.validOps() | SelectionKey.OP_READ
            & channel.validOps(), vip);
        listeners.put(vip, channel);
        warned.remove(vip);
      } catch (IOException e) {
        closeQuietly(channel);
        relays.remove(vip);
        if (warned.add(vip)) {
          log.warn("VIP {}/{} cannot listen on {}: {}", vip.vip(), vip.protocol(), at, e.toString());
        }
      }
    }
    Set<InetSocketAddress> now = new HashSet<>();
    for (Key vip : listeners.keySet()) {
      now.add(new InetSocketAddress(listenAddress.apply(vip.vip().getAddress()), vip.vip().getPort()));
    }
    listening = Set.copyOf(now);
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      closeQuietly(key.channel());
    }
    closeQuietly(selector);
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  /** A client waiting for its backend's connection. */
  private record Connecting(SocketChannel client, Key vip, int tried) {}
}

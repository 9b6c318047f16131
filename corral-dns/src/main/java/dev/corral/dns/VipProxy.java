package dev.corral.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-space TCP load balancer behind VIPs: listens on each VIP's address and port (in 127.77.0.0/16,
 * local without any setup) and hands each new connection to the next of the VIP's serving tasks, round robin.
 * A connection whose task does not accept goes to the next one. New tables (from {@link Discovery}) change
 * the listeners and the rotation at once; established connections stay where they are.
 *
 * <p>One selector thread does all the I/O, with at most {@link #MAX_CONNECTIONS} proxied connections (each
 * with two 16 KiB buffers); a connection over the bound is closed at once.
 *
 * <p>Thread-safety: {@link #update} may be called from any thread; everything else runs on the selector's.
 */
public final class VipProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VipProxy.class);
  static final int MAX_CONNECTIONS = 1024;

  private final Selector selector;
  private final Thread thread;
  private final Map<InetSocketAddress, ServerSocketChannel> listeners = new HashMap<>();
  private final Map<InetSocketAddress, Integer> nextBackend = new HashMap<>();
  private final Set<InetSocketAddress> warned = new HashSet<>();
  private volatile Map<InetSocketAddress, List<InetSocketAddress>> backends = Map.of();
  private volatile boolean tableChanged;
  private volatile boolean closed;
  private int connections;

  public VipProxy() throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::run, "vip-proxy");
    this.thread.setDaemon(true);
  }

  public VipProxy start() {
    thread.start();
    return this;
  }

  /** Takes a new table's VIPs: listeners for new ones, none for gone ones, new rotations. */
  public void update(RecordTable table) {
    Map<InetSocketAddress, List<InetSocketAddress>> next = new HashMap<>();
    for (RecordTable.VipEntry v : table.vips()) {
      next.put(new InetSocketAddress(v.address(), v.vip().port()), v.backends());
    }
    backends = Map.copyOf(next);
    tableChanged = true;
    selector.wakeup();
  }

  /** The addresses the proxy listens on now (for tests and the log). */
  public synchronized Set<InetSocketAddress> listening() {
    return Set.copyOf(listeners.keySet());
  }

  private void run() {
    while (!closed) {
      try {
        if (tableChanged) {
          tableChanged = false;
          reconcileListeners();
        }
        selector.select(1000);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          handle(key);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.warn("VIP proxy: {}", e.toString());
        }
      }
    }
  }

  private void handle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    Object a = key.attachment();
    if (a instanceof InetSocketAddress vip) {
      accept((ServerSocketChannel) key.channel(), vip);
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

  private void accept(ServerSocketChannel server, InetSocketAddress vip) {
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
  private void connect(SocketChannel client, InetSocketAddress vip, int tried) {
    List<InetSocketAddress> targets = backends.getOrDefault(vip, List.of());
    if (tried >= targets.size()) {
      closeQuietly(client);
      connections--;
      return;
    }
    int n = nextBackend.merge(vip, 1, Integer::sum) - 1;
    InetSocketAddress target = targets.get(Math.floorMod(n, targets.size()));
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

  private synchronized void reconcileListeners() {
    Map<InetSocketAddress, List<InetSocketAddress>> wanted = backends;
    for (Iterator<Map.Entry<InetSocketAddress, ServerSocketChannel>> it = listeners.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<InetSocketAddress, ServerSocketChannel> e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        closeQuietly(e.getValue());
        nextBackend.remove(e.getKey());
        it.remove();
      }
    }
    for (InetSocketAddress vip : wanted.keySet()) {
      if (listeners.containsKey(vip)) {
        continue;
      }
      ServerSocketChannel server = null;
      try {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(vip, 256);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT, vip);
        listeners.put(vip, server);
        warned.remove(vip);
      } catch (IOException e) {
        closeQuietly(server);
        if (warned.add(vip)) {
          log.warn("VIP {} cannot listen: {}", vip, e.toString());
        }
      }
    }
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
  private record Connecting(SocketChannel client, InetSocketAddress vip, int tried) {}
}

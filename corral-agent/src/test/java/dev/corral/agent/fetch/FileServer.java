package dev.corral.agent.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on the loopback for fetch tests (the JDK's own): serves byte arrays by path, 404 for
 * anything else, redirects on request, counts requests per path, and can hold responses until released.
 */
public final class FileServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile long delayMillis;

  public FileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "file-server");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public FileServer put(String path, byte[] content) {
    files.put(path, content);
    return this;
  }

  /** Serves every file under {@code root} at {@code prefix} + its relative path. */
  public FileServer putTree(String prefix, java.nio.file.Path root) throws IOException {
    try (var walk = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path p : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
        put(prefix + root.relativize(p), java.nio.file.Files.readAllBytes(p));
      }
    }
    return this;
  }

  public FileServer redirect(String from, String to) {
    redirects.put(from, to);
    return this;
  }

  /** Holds every response until {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void release() {
    gate.countDown();
  }

  /** Delays every response, so that concurrent fetches overlap. */
  public void delay(long millis) {
    delayMillis = millis;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int requests(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try {
      gate.await(30, TimeUnit.SECONDS);
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String to = redirects.get(path);
    if (to != null) {
      exchange.getResponseHeaders().add("Location", to);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
      return;
    }
    byte[] body = files.get(path);
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}

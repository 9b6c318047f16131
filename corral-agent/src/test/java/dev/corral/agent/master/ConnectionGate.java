package dev.corral.agent.master;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP forwarder in front of a gRPC server, for tests of what clients do while a channel connects. Held, it
 * accepts connections and sends nothing (an HTTP/2 client waits for the server's settings, so its channel
 * stays CONNECTING); released, it forwards them; {@link #cutAll} ends every connection, as a dead server.
 */
public final class ConnectionGate implements AutoCloseable {
  private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final int target;
  private final List<Socket> sockets = new ArrayList<>(); // guarded by this
  private volatile CountDownLatch released = new CountDownLatch(0);

  public ConnectionGate(int target) throws IOException {
    this.target = target;
    daemon("gate-accept", this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void holdNewConnections() {
    released = new CountDownLatch(1);
  }

  public void release() {
    released.countDown();
  }

  public synchronized void cutAll() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  @Override
  public void close() throws IOException {
    server.close();
    cutAll();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = server.accept();
        track(client);
        CountDownLatch gate = released;
        daemon("gate-connection", () -> forward(client, gate));
      }
    } catch (IOException closed) {
      // the gate is closed
    }
  }

  private void forward(Socket client, CountDownLatch gate) {
    try {
      gate.await();
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
      track(upstream);
      daemon("gate-upstream", () -> pipe(client, upstream));
      pipe(upstream, client);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  private static void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void daemon(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void track(Socket s) {
    sockets.add(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}

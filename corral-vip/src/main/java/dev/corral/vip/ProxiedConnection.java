package dev.corral.vip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One client connection spliced to one backend: bytes each way through a 16 KiB buffer, with half-close
 * passed on (a client that shuts its output gets the rest of the answer). Runs on the proxy's selector
 * thread only.
 */
final class ProxiedConnection {
  static final int BUFFER = 16 * 1024;

  /** One end, attached to its selection key. */
  record Side(ProxiedConnection connection, boolean client) {}

  private final SocketChannel client;
  private final SocketChannel backend;
  private final SelectionKey clientKey;
  private final SelectionKey backendKey;
  /** Client to backend, kept in fill mode. */
  private final ByteBuffer up = ByteBuffer.allocate(BUFFER);
  /** Backend to client, kept in fill mode. */
  private final ByteBuffer down = ByteBuffer.allocate(BUFFER);
  private boolean clientEof;
  private boolean backendEof;
  private boolean closed;

  ProxiedConnection(Selector selector, SocketChannel client, SelectionKey backendKey) throws IOException {
    this.client = client;
    this.backend = (SocketChannel) backendKey.channel();
    this.backendKey = backendKey;
    this.backendKey.attach(new Side(this, false));
    this.clientKey = client.register(selector, 0, new Side(this, true));
    interests();
  }

  boolean closed() {
    return closed;
  }

  /** Moves what the key is ready for; false when the connection failed and must be closed. */
  boolean ready(SelectionKey key) {
    boolean isClient = key == clientKey;
    try {
      if (key.isValid() && key.isReadable()) {
        SocketChannel from = isClient ? client : backend;
        ByteBuffer into = isClient ? up : down;
        if (from.read(into) < 0) {
          if (isClient) {
            clientEof = true;
          } else {
            backendEof = true;
          }
        }
      }
      if (key.isValid() && key.isWritable()) {
        SocketChannel to = isClient ? client : backend;
        ByteBuffer from = isClient ? down : up;
        from.flip();
        to.write(from);
        from.compact();
      }
      // A side that ended has nothing more to send: pass the end on once its bytes are out.
      if (clientEof && up.position() == 0 && backend.isOpen()) {
        backend.shutdownOutput();
      }
      if (backendEof && down.position() == 0 && client.isOpen()) {
        client.shutdownOutput();
      }
      if (clientEof && backendEof && up.position() == 0 && down.position() == 0) {
        close();
        return true;
      }
      interests();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void interests() {
    if (closed) {
      return;
    }
    clientKey.interestOps((!clientEof && up.hasRemaining() ? SelectionKey.OP_READ : 0)
        | (down.position() > 0 ? SelectionKey.OP_WRITE : 0));
    backendKey.interestOps((!backendEof && down.hasRemaining() ? SelectionKey.OP_READ : 0)
        | (up.position() > 0 ? SelectionKey.OP_WRITE : 0));
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    clientKey.cancel();
    backendKey.cancel();
    VipProxy.closeQuietly(client);
    VipProxy.closeQuietly(backend);
  }
}

package dev.corral.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A standalone ZooKeeper server inside this JVM, with its data under a directory so that a restart with the
 * same directory finds every znode again. Used by `corral up` and single-master set-ups.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private final ZooKeeperServerEmbedded server;
  private final int port;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts a server on 127.0.0.1:port (0 picks a free port) storing data under {@code dir}. */
  public static EmbeddedZooKeeper start(Path dir, int port) {
    try {
      Files.createDirectories(dir.resolve("data"));
      int chosen = port == 0 ? freePort() : port;
      Properties config = new Properties();
      config.setProperty("dataDir", dir.resolve("data").toAbsolutePath().toString());
      config.setProperty("clientPort", Integer.toString(chosen));
      config.setProperty("clientPortAddress", "127.0.0.1");
      config.setProperty("tickTime", "2000");
      config.setProperty("maxClientCnxns", "0");
      config.setProperty("maxCnxns", "0");
      config.setProperty("admin.enableServer", "false");
      config.setProperty("autopurge.snapRetainCount", "3");
      config.setProperty("autopurge.purgeInterval", "1");
      ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
          .baseDir(dir)
          .configuration(config)
          .exitHandler(ExitHandler.LOG_ONLY)
          .build();
      server.start();
      return new EmbeddedZooKeeper(server, chosen);
    } catch (Exception e) {
      throw new StoreException("cannot start embedded ZooKeeper in " + dir + " on port " + port + ": "
          + e.getMessage(), e);
    }
  }

  public String connectString() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    server.close();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package dev.corral.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A standalone ZooKeeper server inside this JVM, with its data under a directory so that a restart with the
 * same directory finds every znode again. Used by `corral up` and single-master set-ups ({@link #start}),
 * and by masters that each run one member of a ZooKeeper ensemble ({@link #startPeer}).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private final ZooKeeperServerEmbedded server;
  private final int port;
  private final String connectString;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port, String connectString) {
    this.server = server;
    this.port = port;
    this.connectString = connectString;
  }

  /**
   * One member of a ZooKeeper ensemble, as each of three masters runs one: {@code self} is this member's id
   * in {@code peers}; it serves clients on its client port once a quorum of the peers has formed. Data
   * (and the {@code myid} file ZooKeeper requires) lives under {@code dir}.
   */
  public static EmbeddedZooKeeper startPeer(Path dir, java.util.List<ZkPeer> peers, int self) {
    ZkPeer me = peers.stream().filter(p -> p.id() == self).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("peer id " + self + " is not among the peers " + peers));
    try {
      Path data = dir.resolve("data");
      Files.createDirectories(data);
      Files.writeString(data.resolve("myid"), Integer.toString(self));
      Properties config = common(data);
      config.setProperty("clientPort", Integer.toString(me.clientPort()));
      config.setProperty("clientPortAddress", me.host());
      config.setProperty("initLimit", "10");
      config.setProperty("syncLimit", "5");
      // members on one machine (tests) may start in any order: keep trying to reach the others
      config.setProperty("standaloneEnabled", "false");
      config.setProperty("reconfigEnabled", "false");
      for (ZkPeer p : peers) {
        config.setProperty("server." + p.id(), p.host() + ":" + p.quorumPort() + ":" + p.electionPort());
      }
      ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
          .baseDir(dir)
          .configuration(config)
          .exitHandler(ExitHandler.LOG_ONLY)
          .build();
      server.start();
      return new EmbeddedZooKeeper(server, me.clientPort(), ZkPeer.connectString(peers));
    } catch (Exception e) {
      throw new StoreException("cannot start ZooKeeper peer " + self + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Properties common(Path data) {
    Properties config = new Properties();
    config.setProperty("dataDir", data.toAbsolutePath().toString());
    config.setProperty("tickTime", "2000");
    config.setProperty("maxClientCnxns", "0");
    config.setProperty("maxCnxns", "0");
    config.setProperty("admin.enableServer", "false");
    config.setProperty("autopurge.snapRetainCount", "3");
    config.setProperty("autopurge.purgeInterval", "1");
    return config;
  }

  /** Starts a server on 127.0.0.1:port (0 picks a free port) storing data under {@code dir}. */
  public static EmbeddedZooKeeper start(Path dir, int port) {
    try {
      Files.createDirectories(dir.resolve("data"));
      int chosen = port == 0 ? freePort() : port;
      Properties config = common(dir.resolve("data"));
      config.setProperty("clientPort", Integer.toString(chosen));
      config.setProperty("clientPortAddress", "127.0.0.1");
      ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
          .baseDir(dir)
          .configuration(config)
          .exitHandler(ExitHandler.LOG_ONLY)
          .build();
      server.start();
      return new EmbeddedZooKeeper(server, chosen, "127.0.0.1:" + chosen);
    } catch (Exception e) {
      throw new StoreException("cannot start embedded ZooKeeper in " + dir + " on port " + port + ": "
          + e.getMessage(), e);
    }
  }

  /** Where clients connect: this server, or every member of the ensemble. */
  public String connectString() {
    return connectString;
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

package dev.corral.dist.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.leader.LeaderInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The standby's watch on the leader's process, against real sockets standing in for the leader's gRPC port. */
class LeaderWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A listening port that accepts connections and, if asked, closes each at once. */
  private static final class FakeLeader implements AutoCloseable {
    final ServerSocket server;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private boolean closed; // guarded by this

    FakeLeader(boolean closeEach) throws IOException {
      server = outsideTheEphemeralRange();
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            synchronized (this) {
              accepted.add(s);
              // accepted while close() ran: the process is gone, so is this connection
              if (closeEach || closed) {
                s.close();
              }
            }
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    /**
     * A port below the kernel's ephemeral range (32768 and up by default). When a test closes the leader's
     * port, a port from that range can at once be taken by any other process's server on this machine, and
     * the watch would then find that one listening and rightly never report the leader dead.
     */
    private static ServerSocket outsideTheEphemeralRange() throws IOException {
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
        try {
          return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException taken) {
          // try another
        }
      }
      throw new IOException("no free port in 20000-32000");
    }

    /** Its record, as the watch gets it from ZooKeeper. */
    LeaderInfo info() {
      String grpc = "127.0.0.1:" + server.getLocalPort();
      return new LeaderInfo(grpc, "127.0.0.1", grpc, grpc, 1, 0, false);
    }

    /** As when the process dies: the listening port and every connection close. */
    @Override
    public synchronized void close() throws IOException {
      closed = true;
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aLeaderWhoseProcessIsGoneIsReportedOnceItsPortRefuses() throws IOException {
    List<LeaderWatch.Target> dead = new CopyOnWriteArrayList<>();
    try (FakeLeader leader = new FakeLeader(false)) {
      LeaderWatch.Target target = new LeaderWatch.Target(leader.info(), 42);
      try (LeaderWatch watch = new LeaderWatch(() -> Optional.of(target), dead::add).start()) {
        await().atMost(WAIT).until(() -> leader.accepted.size() == 1);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(dead::isEmpty);

        leader.close();
        await().atMost(WAIT).until(() -> !dead.isEmpty());
        assertThat(dead.get(0)).isEqualTo(target);
      }
    }
  }

  @Test
  void aLeaderThatClosesConnectionsButStillListensIsAlive() throws IOException {
    List<LeaderWatch.Target> dead = new CopyOnWriteArrayList<>();
    try (FakeLeader leader = new FakeLeader(true);
         LeaderWatch watch = new LeaderWatch(() -> Optional.of(new LeaderWatch.Target(leader.info(), 42)), dead::add)
             .start()) {
      await().atMost(WAIT).until(() -> leader.accepted.size() >= 5);
      assertThat(dead).isEmpty();
    }
  }

  @Test
  void aNewLeaderIsWatchedInsteadOfTheFormerOne() throws IOException {
    List<LeaderWatch.Target> dead = new CopyOnWriteArrayList<>();
    try (FakeLeader first = new FakeLeader(false); FakeLeader second = new FakeLeader(false)) {
      AtomicReference<LeaderWatch.Target> current = new AtomicReference<>(new LeaderWatch.Target(first.info(), 1));
      try (LeaderWatch watch = new LeaderWatch(() -> Optional.of(current.get()), dead::add).start()) {
        await().atMost(WAIT).until(() -> first.accepted.size() == 1);
        current.set(new LeaderWatch.Target(second.info(), 2));
        watch.leaderChanged();
        await().atMost(WAIT).until(() -> second.accepted.size() == 1);

        first.close(); // the former leader goes away after handing over: nothing to report
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(dead::isEmpty);
        second.close();
        await().atMost(WAIT).until(() -> !dead.isEmpty());
        assertThat(dead).allMatch(new LeaderWatch.Target(second.info(), 2)::equals);
      }
    }
  }
}

package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.leader.LeaderInfo;
import dev.corral.api.leader.ZkTarget;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.Json;
import dev.corral.dist.ServerJvm;
import dev.corral.sim.FleetStats;
import dev.corral.sim.SimulatedAgents;
import dev.corral.sim.StatusListener;
import dev.corral.state.EmbeddedZooKeeper;
import dev.corral.state.LeaderElection;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.data.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Master failover under a simulated fleet: several `corral master` processes share a ZooKeeper (a server
 * in this process, standing for an external ensemble); simulated agents follow the leader through
 * ZooKeeper ({@code zk://}) and run an app's tasks. The leader is killed with SIGKILL and the benchmark
 * prints how long until a new leader is elected, until the new leader places a first new task (a scale-up
 * sent through a standby right after the kill), and until it has reconciled everything (every agent
 * re-registered and every task, old and new, RUNNING in the new leader's API). On the way it prints when
 * the killed leader's port refuses (its process is gone, which the standbys watch for), when the election's
 * epoch moves, and when the new leader publishes its record (agents follow it from then on).
 */
@Command(name = "failover", description = "Seconds from killing the leading master to a new leader, its first"
    + " placement and full reconciliation, with simulated agents.")
public final class FailoverBenchmark implements Callable<Integer> {
  private static final Duration WAIT = Duration.ofMinutes(5);
  /** How long one attempt of the scale-up may go unanswered before it is sent again. */
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(5);
  private static final String APP = "/bench/failover";

  @Spec
  CommandSpec spec;

  @Option(names = "--masters", defaultValue = "3", description = "Master processes (default: ${DEFAULT-VALUE}).")
  int masters;

  @Option(names = "--agents", defaultValue = "100", description = "Simulated agents (default: ${DEFAULT-VALUE}).")
  int agentCount;

  @Option(names = "--tasks", defaultValue = "500", description = "Tasks running before the kill (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--zk-session-timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "The masters' ZooKeeper session timeout (default: ${DEFAULT-VALUE}).")
  int sessionTimeout;

  @Option(names = "--master-heap", defaultValue = "1g", paramLabel = "SIZE",
      description = "Each master's maximum heap, as for -Xmx; 10,000 agents and 100,000 tasks need about 3g"
          + " (default: ${DEFAULT-VALUE}).")
  String masterHeap;

  @Option(names = "--work-dir", description = "Where the masters and ZooKeeper keep data (default: a temporary directory).")
  Path workDir;

  @Option(names = "--master-flight-recording",
      description = "Each master records a Java Flight Recording (profile settings) to master-N.jfr in the work"
          + " directory, for finding where a take-over spends its time.")
  boolean flightRecording;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir != null ? workDir : Files.createTempDirectory("corral-bench-failover");
    List<Process> processes = new CopyOnWriteArrayList<>();
    // Ctrl-C skips the finally below: the masters must not outlive the benchmark (they would load the next run)
    Thread stopMasters = new Thread(() -> processes.forEach(Process::destroyForcibly), "stop-masters");
    Runtime.getRuntime().addShutdownHook(stopMasters);
    List<Integer> httpPorts = new ArrayList<>();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), 0);
         CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(zk.connectString())
             .namespace(ZkTarget.DEFAULT_NAMESPACE).retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000)).build()) {
      curator.start();
      for (int i = 0; i < masters; i++) {
        int http = freePort();
        httpPorts.add(http);
        processes.add(startMaster(dir, i, zk.connectString(), http, freePort()));
      }
      LeaderInfo first = awaitLeader(curator, null, true);
      int leaderIndex = httpPorts.indexOf(port(first.http()));
      HttpApi leaderApi = new HttpApi("http://" + first.http());
      HttpApi standbyApi = new HttpApi("http://127.0.0.1:" + httpPorts.get((leaderIndex + 1) % masters));

      ZkTarget target = new ZkTarget(zk.connectString(), ZkTarget.DEFAULT_NAMESPACE);
      ManagedChannel channel = NettyChannelBuilder.forTarget(target.channelTarget()).usePlaintext().build();
      Set<String> before = ConcurrentHashMap.newKeySet();
      AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
      AtomicLong firstNewRunning = new AtomicLong();
      StatusListener listener = new StatusListener() {
        @Override
        public void sent(TaskStatus status) {
          if (status.getState() == TaskState.TASK_RUNNING && System.nanoTime() > killedAt.get()
              && !before.contains(status.getTaskId())) {
            firstNewRunning.compareAndSet(0, System.nanoTime());
          }
        }
      };
      int perAgent = Math.max(1, (tasks + agentCount - 1) / agentCount) + 2;
      String resources = "cpus:" + (perAgent * 0.1 + 1) + ";mem:" + (perAgent * 32 + 256) + ";disk:1024;ports:[31000-"
          + (31000 + perAgent * 2) + "]";
      try (SimulatedAgents agents = SimulatedAgents.start(channel,
          dev.corral.sim.SimulationConfig.builder(agentCount).resources(resources).build(), List.of(listener))) {
        if (!agents.awaitRegistered(WAIT)) {
          throw new IllegalStateException("the simulated agents did not register within " + WAIT);
        }
        leaderApi.createApp(HttpApi.sleepApp(APP, tasks));
        awaitRunning(leaderApi, tasks);
        for (JsonNode t : leaderApi.get("/v2/apps" + APP + "/tasks").json().path("tasks")) {
          before.add(t.path("id").asText());
        }
        long registrationsBefore = agents.stats().registrations();

        killedAt.set(System.nanoTime());
        processes.get(leaderIndex).destroyForcibly(); // SIGKILL: no goodbye, the session has to time out
        long kill = killedAt.get();
        AtomicLong channelReady = new AtomicLong();
        AtomicLong connectsAtReady = new AtomicLong();
        whenReadyAgain(channel, channel.getState(false), () -> {
          connectsAtReady.set(agents.stats().connects());
          channelReady.set(System.nanoTime());
        });
        // Polled on a thread of its own: the main thread is busy with the scale-up meanwhile.
        AtomicLong portRefuses = new AtomicLong();
        AtomicLong firstReconnect = new AtomicLong();
        AtomicLong firstReregistered = new AtomicLong();
        InetSocketAddress deadGrpc = first.grpcAddress();
        Thread milestones = new Thread(() -> {
          while (firstReregistered.get() == 0 && System.nanoTime() - kill < WAIT.toNanos()) {
            if (portRefuses.get() == 0 && refuses(deadGrpc)) {
              portRefuses.set(System.nanoTime());
            }
            FleetStats now = agents.stats();
            if (firstReconnect.get() == 0 && channelReady.get() != 0 && now.connects() > connectsAtReady.get()) {
              firstReconnect.set(System.nanoTime());
            }
            if (now.registrations() > registrationsBefore) {
              firstReregistered.set(System.nanoTime());
            }
            LockSupport.parkNanos(1_000_000);
          }
        }, "failover-milestones");
        milestones.setDaemon(true);
        milestones.start();
        AtomicLong elected = new AtomicLong();
        AtomicLong published = new AtomicLong();
        AtomicLong started = new AtomicLong();
        java.util.concurrent.CompletableFuture<LeaderInfo> nextLeader = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> {
              try {
                awaitEpochAfter(curator, first.epoch());
                elected.set(System.nanoTime());
                awaitLeader(curator, first.id(), false);
                published.set(System.nanoTime());
                LeaderInfo full = awaitLeader(curator, first.id(), true);
                started.set(System.nanoTime());
                return full;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

        // The scale-up goes in through a standby as soon as anyone accepts it.
        long accepted;
        int unanswered = 0;
        while (true) {
          HttpApi.Answer a = put(standbyApi, "/v2/apps" + APP, "{\"instances\": " + (tasks + 1) + "}");
          if (a.status() == 200) {
            accepted = System.nanoTime();
            break;
          }
          if (a.body().contains("HttpTimeoutException")) {
            unanswered++;
          }
          if (System.nanoTime() - kill > WAIT.toNanos()) {
            throw new IllegalStateException("no master took the scale-up within " + WAIT + ": " + a.body());
          }
          Thread.sleep(50);
        }
        LeaderInfo next = nextLeader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        HttpApi nextApi = new HttpApi("http://" + next.http());
        long deadline = kill + WAIT.toNanos();
        while (firstNewRunning.get() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        while (agents.stats().registrations() < registrationsBefore + agentCount && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        long reregistered = System.nanoTime();
        awaitRunning(nextApi, tasks + 1);
        long reconciled = System.nanoTime();
        int kept = 0;
        for (JsonNode t : nextApi.get("/v2/apps" + APP + "/tasks").json().path("tasks")) {
          if (before.contains(t.path("id").asText())) {
            kept++;
          }
        }
        out.printf("Failover benchmark: %d masters (ZooKeeper session timeout %d s), %d simulated agents, %d tasks,"
            + " %d cores%n", masters, sessionTimeout, agentCount, tasks, Runtime.getRuntime().availableProcessors());
        milestone(out, "its port refuses (gone)", portRefuses.get() - kill, "");
        milestone(out, "new leader elected", elected.get() - kill, "epoch " + first.epoch() + " → " + next.epoch());
        milestone(out, "new leader's record", published.get() - kill, "starting: its scheduler has its state");
        milestone(out, "its full record", started.get() - kill, "every API answers");
        milestone(out, "the scale-up accepted", accepted - kill,
            unanswered == 0 ? "" : unanswered + " attempt(s) got no answer within " + PUT_TIMEOUT.toSeconds() + " s");
        milestone(out, "agents' channel ready", channelReady.get() - kill, "");
        milestone(out, "first agent reconnects", firstReconnect.get() - kill, "");
        milestone(out, "first agent re-registered", firstReregistered.get() - kill, "");
        milestone(out, "first new task RUNNING", firstNewRunning.get() - kill, "");
        milestone(out, "all agents re-registered", reregistered - kill, "");
        milestone(out, "all " + (tasks + 1) + " tasks RUNNING", reconciled - kill, "in the new leader's API");
        out.printf("  tasks kept across the failover: %d of %d (none restarted: %s)%n", kept, tasks,
            kept == tasks ? "yes" : "NO");
        nextApi.delete("/v2/apps" + APP + "?force=true");
      } finally {
        channel.shutdownNow();
      }
    } finally {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      Runtime.getRuntime().removeShutdownHook(stopMasters);
    }
    return 0;
  }

  /** Runs {@code ready} once, when the agents' channel is next READY (it has reached the new leader). */
  private static void whenReadyAgain(ManagedChannel channel, ConnectivityState seen, Runnable ready) {
    channel.notifyWhenStateChanged(seen, () -> {
      ConnectivityState now = channel.getState(false);
      if (now == ConnectivityState.READY) {
        ready.run();
      } else if (!channel.isShutdown()) {
        whenReadyAgain(channel, now, ready);
      }
    });
  }

  private static void milestone(PrintWriter out, String what, long nanos, String note) {
    out.printf("  leader killed → %-28s %6.2f s%s%n", what + ":", secs(nanos), note.isEmpty() ? "" : " (" + note + ")");
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private Process startMaster(Path dir, int i, String zk, int http, int grpc) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    // The options bin/corral gives `corral master`: what a failover costs depends on them.
    cmd.addAll(ServerJvm.defaultOptions());
    cmd.add("-Xmx" + masterHeap);
    if (flightRecording) {
      cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("master-" + i + ".jfr"));
    }
    String home = System.getProperty("corral.home");
    if (home != null) {
      cmd.add("-Dcorral.home=" + home);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.corral.dist.Main", "master",
        "--work-dir", dir.resolve("master-" + i).toString(), "--zk", zk, "--http-port", Integer.toString(http),
        "--grpc-port", Integer.toString(grpc), "--bind", "127.0.0.1", "--hostname", "127.0.0.1",
        "--zk-session-timeout", Integer.toString(sessionTimeout), "--no-auth"));
    Path log = dir.resolve("master-" + i + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("CORRAL_DNS_PORT", "0");
    return pb.start();
  }

  /** Whether nothing listens on {@code address} any more (a killed process's port stays open until it is gone). */
  private static boolean refuses(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 100);
      return false;
    } catch (ConnectException e) {
      return String.valueOf(e.getMessage()).contains("refused");
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until a new leader has bumped the election's epoch: the moment it won. */
  private static void awaitEpochAfter(CuratorFramework curator, long epoch) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Stat stat = curator.checkExists().forPath(LeaderElection.EPOCH);
      if (stat != null && stat.getVersion() > epoch) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no new leader within " + WAIT);
  }

  /** The first leader record not of {@code notId}; with {@code started}, of a leader whose every API answers. */
  private static LeaderInfo awaitLeader(CuratorFramework curator, String notId, boolean started) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<LeaderInfo> leader = readLeader(curator);
      if (leader.isPresent() && !leader.get().id().equals(notId) && !(started && leader.get().starting())) {
        return leader.get();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no " + (notId == null ? "" : "new ") + "leader within " + WAIT);
  }

  private static Optional<LeaderInfo> readLeader(CuratorFramework curator) {
    try {
      return Optional.of(LeaderInfo.fromBytes(curator.getData().forPath(LeaderInfo.PATH)));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static void awaitRunning(HttpApi api, int n) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      // the listing's counts, not the app with every task embedded (tens of MB at 100,000 tasks)
      HttpApi.Answer a = api.get("/v2/apps?id=" + APP);
      if (a.status() == 200 && a.json().path("apps").path(0).path("tasksRunning").asInt() >= n) {
        return;
      }
      Thread.sleep(n > 10_000 ? 1000 : 50);
    }
    throw new IllegalStateException(n + " tasks of " + APP + " not RUNNING within " + WAIT);
  }

  /** Each attempt of the scale-up: one the masters drop while leadership moves is retried, not waited out. */
  private static HttpApi.Answer put(HttpApi api, String path, String body) throws InterruptedException {
    try {
      return api.put(path, Json.mapper().readTree(body), PUT_TIMEOUT);
    } catch (IOException e) {
      return new HttpApi.Answer(0, e.toString());
    }
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A `corral master` and several `corral agent` processes on loopback, each agent with its own work dir,
 * ten ports, the attribute rack:r&lt;i&gt;, and its VIP proxy following the master, listening for the VIP
 * 127.77.c.d on 127.(77+i).c.d (they share one loopback; {@link #vipAddress}). {@link #close} removes every app (forced), waits for the tasks
 * to end, then stops the processes and kills whatever of theirs is left.
 */
final class Cluster implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(120);

  final Marathon api;
  final int httpPort;
  private final Path dir;
  private final CorralProcess master;
  private final List<CorralProcess> agents = new ArrayList<>();

  /**
   * @param hostname agent i's host name (1-based)
   * @param resources each agent's resources without ports, e.g. "cpus:1;mem:256;disk:512"
   */
  static Cluster start(Path dir, int agentCount, IntFunction<String> hostname, String resources) throws Exception {
    return new Cluster(dir, agentCount, hostname, resources);
  }

  private Cluster(Path dir, int agentCount, IntFunction<String> hostname, String resources) throws Exception {
    this.dir = dir;
    this.httpPort = Ports.free();
    int grpcPort = Ports.free();
    this.api = new Marathon(httpPort);
    master = CorralProcess.start(dir.resolve("master.log"), "master", "--work-dir", dir.resolve("master").toString(),
        "--http-port", Integer.toString(httpPort), "--grpc-port", Integer.toString(grpcPort), "--bind", "127.0.0.1",
        "--hostname", "127.0.0.1");
    master.awaitLog("Corral master", WAIT);
    for (int i = 1; i <= agentCount; i++) {
      int ports = Ports.freeRange(10);
      CorralProcess agent = CorralProcess.start(dir.resolve("agent-" + i + ".log"), "agent",
          "--master", "127.0.0.1:" + grpcPort, "--work-dir", dir.resolve("agent-" + i).toString(),
          "--hostname", hostname.apply(i), "--attributes", "rack:r" + i, "--kill-tasks-on-exit",
          "--http-port", "0", "--http-bind", "127.0.0.1",
          "--discovery", "http://127.0.0.1:" + httpPort, "--vip-network", "127." + (77 + i) + ".0.0/16",
          // the secret the master generated (authentication is on): agents present it, and require it
          "--secret-file", dir.resolve("master").resolve("cluster-secret").toString(),
          "--resources", resources + ";ports:[" + ports + "-" + (ports + 9) + "]");
      agents.add(agent);
      agent.awaitLog("Corral agent", WAIT);
    }
  }

  /** Where agent {@code i} (1-based) serves the VIP at {@code vipIp}. */
  static String vipAddress(int agent, String vipIp) {
    String[] octets = vipIp.split("\\.");
    return "127." + (77 + agent) + "." + octets[2] + "." + octets[3];
  }

  /** Agent {@code i}'s log so far (1-based). */
  String agentLog(int i) {
    return agents.get(i - 1).output();
  }

  /** Agent {@code i}'s process (1-based), e.g. to stop it with a signal. */
  CorralProcess agent(int i) {
    return agents.get(i - 1);
  }

  @Override
  public void close() throws Exception {
    for (JsonNode app : api.get("/v2/apps").json().path("apps")) {
      api.delete("/v2/apps" + app.path("id").asText() + "?force=true");
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (api.get("/v2/tasks").json().path("tasks").size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    for (CorralProcess agent : agents) {
      agent.stop();
    }
    master.stop();
    TaskProcesses.killAllUnder(dir);
  }
}

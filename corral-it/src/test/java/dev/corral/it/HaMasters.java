package dev.corral.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Three (or more) `corral master` processes on loopback, each with one member of an embedded ZooKeeper
 * ensemble, and agents that follow the leader through `zk://`. Every process is this test's own and is
 * stopped by {@link #close}, with whatever task processes are left under the work dir.
 */
final class HaMasters implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(180);

  private final Path dir;
  private final int count;
  private final List<String> extra;
  final List<CorralProcess> masters = new ArrayList<>();
  final List<CorralProcess> agents = new ArrayList<>();
  final List<Marathon> apis = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();
  private final List<Integer> grpcPorts = new ArrayList<>();
  private final String peerList;
  final String zk;

  private HaMasters(Path dir, int count, String... extraMasterArgs) throws Exception {
    this.dir = dir;
    this.count = count;
    this.extra = List.of(extraMasterArgs);
    List<String> peers = new ArrayList<>();
    List<String> clients = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      int client = Ports.free();
      peers.add(i + "=127.0.0.1:" + client + ":" + Ports.free() + ":" + Ports.free());
      clients.add("127.0.0.1:" + client);
      httpPorts.add(Ports.free());
      grpcPorts.add(Ports.free());
      apis.add(new Marathon(httpPorts.get(i - 1)));
    }
    this.peerList = String.join(",", peers);
    this.zk = "zk://" + String.join(",", clients) + "/corral";
  }

  /** Starts the masters and waits until they agree on a leader (authentication off: asks anonymously). */
  static HaMasters start(Path dir, int count, String... extraMasterArgs) throws Exception {
    HaMasters ha = launch(dir, count, extraMasterArgs);
    try {
      ha.awaitLeader(-1);
      return ha;
    } catch (Exception | AssertionError e) {
      ha.close();
      throw e;
    }
  }

  /** Starts the masters and waits until each has started (leading or standing by). */
  static HaMasters launch(Path dir, int count, String... extraMasterArgs) throws Exception {
    HaMasters ha = new HaMasters(dir, count, extraMasterArgs);
    try {
      for (int i = 0; i < count; i++) {
        ha.masters.add(ha.startMaster(i));
      }
      for (CorralProcess m : ha.masters) {
        m.awaitLog("Corral master", WAIT);
      }
      return ha;
    } catch (Exception | AssertionError e) {
      ha.close();
      throw e;
    }
  }

  /** From now on every client of {@link #apis} sends this token (authentication on). */
  void authenticate(String token) {
    apis.replaceAll(api -> api.as(token));
  }

  /** Master {@code index} (0-based) with its own ports, work dir and ZooKeeper member. */
  CorralProcess startMaster(int index) throws Exception {
    int id = index + 1;
    List<String> args = new ArrayList<>(Arrays.asList("master",
        "--work-dir", dir.resolve("master-" + id).toString(), "--http-port", Integer.toString(httpPorts.get(index)),
        "--grpc-port", Integer.toString(grpcPorts.get(index)), "--dns-port", "0",
        "--bind", "127.0.0.1", "--hostname", "127.0.0.1",
        "--zk-embedded-peers", peerList, "--zk-peer-id", Integer.toString(id), "--zk-session-timeout", "10"));
    args.addAll(extra);
    return CorralProcess.start(dir.resolve("master-" + id + ".log"), args.toArray(String[]::new));
  }

  /** Kills master {@code index} with SIGKILL, waits for it, and starts it again (it rejoins as a standby). */
  void killAndRestart(int index) throws Exception {
    masters.get(index).signal("KILL");
    masters.get(index).waitFor(WAIT);
    masters.set(index, startMaster(index));
  }

  /** Starts agent {@code name} with these resources (its own port range), following the leader. */
  CorralProcess startAgent(String name, String resources, String... extraArgs) throws Exception {
    int ports = Ports.freeRange(10);
    List<String> args = new ArrayList<>(Arrays.asList("agent", "--master", zk,
        "--work-dir", agentDir(name).toString(), "--hostname", name,
        "--http-port", "0", "--http-bind", "127.0.0.1",
        "--resources", resources + ";ports:[" + ports + "-" + (ports + 9) + "]"));
    args.addAll(Arrays.asList(extraArgs));
    CorralProcess agent = CorralProcess.start(dir.resolve(name + ".log"), args.toArray(String[]::new));
    agents.add(agent);
    agent.awaitLog("registered with the master", WAIT);
    return agent;
  }

  Path agentDir(String name) {
    return dir.resolve(name);
  }

  String httpAddress(int index) {
    return "127.0.0.1:" + httpPorts.get(index);
  }

  /** Waits until every live master other than {@code not} names the same leader; returns its index. */
  int awaitLeader(int not) throws Exception {
    return awaitLeader(Set.of(not));
  }

  /** As {@link #awaitLeader(int)}, asking only the masters not in {@code skip}. */
  int awaitLeader(Set<Integer> skip) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Set<String> named = new HashSet<>();
      boolean all = true;
      for (int i = 0; i < count; i++) {
        if (skip.contains(i)) {
          continue;
        }
        try {
          Marathon.Response r = apis.get(i).get("/v2/leader");
          last = r.status() + " " + r.body();
          if (r.status() == 200) {
            named.add(r.json().path("leader").asText());
          } else {
            all = false;
          }
        } catch (java.io.IOException e) {
          all = false;
          last = e.toString();
        }
      }
      if (all && named.size() == 1) {
        String leader = named.iterator().next();
        for (int i = 0; i < count; i++) {
          if (!skip.contains(i) && leader.equals(httpAddress(i))) {
            return i;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the masters never agreed on a leader; last answer: " + last);
  }

  /** The API of whichever master answers /v2/leader now (null if none). */
  Marathon anyAlive() {
    for (Marathon api : apis) {
      try {
        if (api.get("/v2/leader").status() == 200) {
          return api;
        }
      } catch (Exception e) {
        // dead or electing; try the next
      }
    }
    return null;
  }

  /** Deletes these apps through any live master and waits (bounded) for their tasks to go. */
  void deleteApps(String... appIds) {
    try {
      Marathon api = anyAlive();
      if (api == null) {
        return;
      }
      for (String app : appIds) {
        api.delete("/v2/apps" + app + "?force=true");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (api.get("/v2/tasks").json().path("tasks").size() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
    } catch (Exception e) {
      // clean-up is best effort; close() kills what is left
    }
  }

  @Override
  public void close() {
    for (CorralProcess p : masters) {
      try {
        p.signal("CONT"); // a frozen process cannot stop cleanly
      } catch (Exception e) {
        // gone already
      }
    }
    for (CorralProcess a : agents) {
      try {
        a.signal("CONT");
        a.stop();
      } catch (Exception | AssertionError e) {
        a.close();
      }
    }
    for (CorralProcess m : masters) {
      try {
        m.stop();
      } catch (Exception | AssertionError e) {
        m.close();
      }
    }
    TaskProcesses.killAllUnder(dir);
  }
}

package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.net.Bridge;
import dev.corral.agent.net.ContainerNetworks;
import dev.corral.agent.net.Subnet;
import dev.corral.agent.oci.ContainerIds;
import dev.corral.agent.oci.OciRuntime;
import dev.corral.api.v1.NetworkInfo;
import dev.corral.api.v1.PortMapping;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tasks with a container network in real runc containers: their own eth0 on corral0, host ports DNATed to
 * container ports, and nothing left of either once they end. Needs root, runc, cgroups, ip and iptables.
 */
class ContainerNetworkTest extends RealAgentTestBase {
  private static final Subnet SUBNET = Subnet.parse(Subnet.DEFAULT);
  private OciRuntime runtime;

  @BeforeEach
  void needsTools() {
    Assumptions.assumeTrue(CgroupDetector.isRoot(), "container networking needs root");
    Assumptions.assumeTrue(AgentTestSupport.CGROUP_V1 || AgentTestSupport.CGROUP_V2, "OCI containers need cgroups");
    runtime = OciRuntime.find(OciRuntime.RUNC, workDir.resolve("oci"));
    Assumptions.assumeTrue(runtime != null, "runc is not installed (apt-get install runc)");
    for (String tool : List.of("ip", "iptables", "iptables-save", "iptables-restore")) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool)),
          tool + " is not installed (apt-get install iproute2 iptables)");
    }
  }

  @AfterEach
  void deleteOurContainers() throws Exception {
    if (runtime != null && Files.isDirectory(runtime.stateRoot())) {
      try (var ids = Files.list(runtime.stateRoot())) {
        ids.forEach(dir -> runtime.delete(dir.getFileName().toString()));
      }
    }
  }

  /** The bridge and its shared rules are the tests' own: no other corral0 user runs on a test machine. */
  @AfterAll
  static void removeBridge() {
    if (CgroupDetector.isRoot()) {
      new Bridge(SUBNET).remove();
    }
  }

  private Agent startOciAgent() {
    Agent agent = startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of("oci")));
    master.awaitConnected(LONG);
    return agent;
  }

  private static TaskInfo networked(String id, String script, int hostPort, int containerPort) {
    NetworkInfo.Builder net = NetworkInfo.newBuilder().setMode(NetworkInfo.Mode.MODE_CONTAINER).setName("bridge");
    if (hostPort > 0) {
      net.addPortMappings(PortMapping.newBuilder().setHostPort(hostPort).setContainerPort(containerPort)
          .setProtocol("tcp").setName("http"));
    }
    return shellTask(id, script).toBuilder().setNetwork(net).build();
  }

  /** A tiny HTTP server on port 8080 in the container, answering with the task's id. */
  private static String httpServer(String id) {
    return "mkdir -p www && echo " + id + " > www/index.html && exec busybox httpd -f -p 8080 -h www";
  }

  @Test
  void containerHasItsOwnEth0InTheRangeAndReachesTheGateway() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "the probe uses bash's /dev/tcp");
    startOciAgent();
    try (ServerSocket onHost = new ServerSocket()) {
      onHost.bind(new InetSocketAddress("0.0.0.0", 0));
      String id = unique("eth0");
      master.runTask(networked(id, "ip -4 -o addr show; bash -c 'exec 3<>/dev/tcp/" + SUBNET.gateway() + "/"
          + onHost.getLocalPort() + "' && echo gateway=reached", 0, 0));

      TaskStatus running = master.awaitStatus(id, TaskState.TASK_RUNNING, LONG);
      assertThat(running.getIpAddressesList()).hasSize(1);
      String address = running.getIpAddresses(0);
      assertThat(SUBNET.contains(address)).as(address + " in " + SUBNET).isTrue();
      onHost.setSoTimeout(20_000);
      onHost.accept().close();
      master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
      String out = read(sandbox(id).resolve("stdout"));
      assertThat(out).contains("eth0    inet " + address + "/" + SUBNET.prefix(), "gateway=reached");
      assertThat(out).as("only lo and eth0: not the host's interfaces").doesNotContain(Bridge.NAME);
      assertNetworkGone(id, address);
    }
  }

  @Test
  void mappedPortsReachTwoContainersOnLoopbackAndTheHostAddressAndAreRemovedAfterwards() throws Exception {
    startOciAgent();
    String a = unique("web-a");
    String b = unique("web-b");
    int portA = freePort();
    int portB = freePort();
    master.runTask(networked(a, httpServer(a), portA, 8080));
    master.runTask(networked(b, httpServer(b), portB, 8080));
    String ipA = master.awaitStatus(a, TaskState.TASK_RUNNING, LONG).getIpAddresses(0);
    String ipB = master.awaitStatus(b, TaskState.TASK_RUNNING, LONG).getIpAddresses(0);
    assertThat(ipA).isNotEqualTo(ipB);

    String host = hostAddress();
    // RUNNING means the process started, not that its server listens yet: wait for each one.
    await().atMost(LONG).until(() -> get("127.0.0.1", portA).equals(a));
    await().atMost(LONG).until(() -> get("127.0.0.1", portB).equals(b));
    if (host != null) {
      assertThat(get(host, portA)).isEqualTo(a);
      assertThat(get(host, portB)).isEqualTo(b);
    }

    master.kill(a, null);
    master.kill(b, null);
    master.awaitStatus(a, TaskState.TASK_KILLED, LONG);
    master.awaitStatus(b, TaskState.TASK_KILLED, LONG);
    assertNetworkGone(a, ipA);
    assertNetworkGone(b, ipB);
    assertThat(get("127.0.0.1", portA)).as("the host port is no longer forwarded").isEmpty();
  }

  @Test
  void agentRestartKeepsARunningContainersNetworkAndCleansUpOneThatEndedMeanwhile() throws Exception {
    master.autoAck(true);
    Agent first = startOciAgent();
    String stays = unique("stays");
    String ends = unique("ends");
    int port = freePort();
    master.runTask(networked(stays, httpServer(stays), port, 8080));
    master.runTask(networked(ends, "while [ ! -f go ]; do sleep 0.05; done; exit 3", freePort(), 80));
    String ipStays = master.awaitStatus(stays, TaskState.TASK_RUNNING, LONG).getIpAddresses(0);
    String ipEnds = master.awaitStatus(ends, TaskState.TASK_RUNNING, LONG).getIpAddresses(0);
    await().atMost(LONG).until(() -> get("127.0.0.1", port).equals(stays));

    first.stop(false);
    Files.createFile(sandbox(ends).resolve("go"));
    Path exitStatus = workDir.resolve("meta/tasks").resolve(ends).resolve("exit_status");
    await().atMost(LONG).until(() -> Files.exists(exitStatus));
    assertThat(get("127.0.0.1", port)).as("no agent needed to serve a mapped port").isEqualTo(stays);

    startOciAgent();
    master.awaitStatus(ends, TaskState.TASK_FAILED, LONG);
    assertNetworkGone(ends, ipEnds);
    assertThat(get("127.0.0.1", port)).isEqualTo(stays);
    String next = unique("next");
    master.runTask(networked(next, "sleep 60", 0, 0));
    String ipNext = master.awaitStatus(next, TaskState.TASK_RUNNING, LONG).getIpAddresses(0);
    assertThat(ipNext).as("a live container's address is not handed out again").isNotEqualTo(ipStays);

    master.kill(stays, null);
    master.kill(next, null);
    master.awaitStatus(stays, TaskState.TASK_KILLED, LONG);
    master.awaitStatus(next, TaskState.TASK_KILLED, LONG);
    assertNetworkGone(stays, ipStays);
    assertNetworkGone(next, ipNext);
  }

  private void assertNetworkGone(String taskId, String address) throws Exception {
    String netns = ContainerNetworks.netnsName(ContainerIds.of(taskId));
    assertThat(Path.of("/run/netns", netns)).doesNotExist();
    assertThat(run("iptables-save", "-t", "nat")).doesNotContain("corral:" + netns);
    assertThat(workDir.resolve("net/leases").resolve(address)).doesNotExist();
    assertThat(run("ip", "-o", "link", "show", "master", Bridge.NAME)).as("no veth of the task on the bridge")
        .doesNotContain(vethOf(taskId));
  }

  private static String vethOf(String taskId) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
    return "corral" + java.util.HexFormat.of().formatHex(d, 0, 4);
  }

  /** The body of GET http://host:port/, or "" when nothing answers. */
  private static String get(String host, int port) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body().trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The host's address on its default route, or null on a host without one. */
  private static String hostAddress() throws Exception {
    String out = run("ip", "-4", "-o", "route", "get", "1.1.1.1");
    int at = out.indexOf(" src ");
    return at < 0 ? null : out.substring(at + 5).trim().split("\\s+")[0];
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

}

package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.image.TestRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `corral up --containerizers oci,process`: a Marathon app with {@code networks: [{mode: container/bridge}]}
 * serves HTTP on container port 8080, reachable on the host port the task got from the offer. Needs root,
 * runc, cgroups, ip and iptables (CI installs them); the Marathon 1.4 app also a registry, skopeo and umoci.
 */
class ContainerNetworkIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private static void assumeContainerNetworking() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")),
        "runc is not installed (apt-get install runc)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "container networking needs root");
    for (String tool : List.of("ip", "iptables-restore")) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool)),
          tool + " is not installed (apt-get install iproute2 iptables)");
    }
  }

  /**
   * A definition written for Marathon 1.4 (Docker image, {@code docker.network: BRIDGE} with
   * {@code docker.portMappings}, a read-only host volume) runs unchanged: its image serves the host's
   * directory on the host port the task got, and the API shows the app in Marathon 1.5's form.
   */
  @Test
  void aMarathon14DockerBridgeAppWithAHostVolumeServesItOnItsHostPort() throws Exception {
    assumeContainerNetworking();
    Assumptions.assumeTrue(TestRegistry.missing() == null, String.valueOf(TestRegistry.missing()));
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "served-from-a-host-volume\n");
    try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"))) {
      registry.push(TestRegistry.buildTinyLayout(dir.resolve("layout")), "tiny:1");
      try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:500", 10, "--containerizers", "oci,process",
          "--insecure-registries", registry.host())) {
        assertThat(node.api.post("/v2/apps", """
            {"id": "/legacy", "cpus": 0.1, "mem": 64, "cmd": "exec busybox httpd -f -p 8080 -h /srv/www",
             "container": {"type": "DOCKER",
               "docker": {"image": "%s/tiny:1", "network": "BRIDGE",
                          "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]},
               "volumes": [{"containerPath": "/srv/www", "hostPath": "%s", "mode": "RO"}]}}
            """.formatted(registry.host(), www)).status()).isEqualTo(201);
        List<JsonNode> tasks = node.api.awaitTasks("/legacy", Marathon.running(1), WAIT);
        int hostPort = tasks.get(0).path("ports").get(0).asInt();
        await().atMost(WAIT).until(() -> get(hostPort).equals("served-from-a-host-volume"));
        JsonNode app = node.api.get("/v2/apps/legacy").json().path("app");
        assertThat(app.path("networks").toString()).isEqualTo("[{\"mode\":\"container/bridge\"}]");
        assertThat(app.at("/container/portMappings/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(app.at("/container/docker").has("network")).isFalse();
      }
    }
  }

  @Test
  void bridgeNetworkedAppIsReachableOnItsHostPort() throws Exception {
    assumeContainerNetworking();
    int dnsPort = Ports.free();
    try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 10, "--containerizers", "oci,process",
        "--dns-port", Integer.toString(dnsPort))) {
      assertThat(node.api.post("/v2/apps", """
          {"id": "/net/web", "instances": 1, "cpus": 0.1, "mem": 64,
           "cmd": "mkdir -p www && echo hello-from-$HOSTNAME-$PORT_HTTP > www/index.html && exec python3 -m http.server 8080 --directory www",
           "networks": [{"mode": "container/bridge"}],
           "container": {"type": "MESOS", "portMappings": [{"containerPort": 8080, "hostPort": 0, "name": "http"}]}}
          """).status()).isEqualTo(201);
      List<JsonNode> tasks = node.api.awaitTasks("/net/web", Marathon.running(1), WAIT);
      int hostPort = tasks.get(0).path("ports").get(0).asInt();
      assertThat(hostPort).isPositive();

      await().atMost(WAIT).until(() -> get(hostPort).contains("hello-from-"));
      assertThat(get(hostPort)).endsWith("-" + hostPort);

      // the task's own address, as Marathon shows it, in /v2/tasks and in the app's tasks
      JsonNode ips = tasks.get(0).path("ipAddresses");
      assertThat(ips).hasSize(1);
      String containerIp = ips.get(0).path("ipAddress").asText();
      assertThat(containerIp).startsWith("172.31.");
      assertThat(ips.get(0).path("protocol").asText()).isEqualTo("IPv4");
      JsonNode appTasks = node.api.get("/v2/apps/net/web?embed=apps.tasks").json().path("app").path("tasks");
      assertThat(appTasks.get(0).path("ipAddresses").get(0).path("ipAddress").asText()).isEqualTo(containerIp);
      // reachable there on the container port, from the host, across the bridge
      assertThat(get("http://" + containerIp + ":8080/")).endsWith("-" + hostPort);
      // DNS names the app by that address (as Mesos-DNS does); the SRV record's host port is on the agent
      Dig dig = new Dig(dnsPort);
      await().atMost(Duration.ofSeconds(5)).until(() -> dig.answer("web-net.marathon.corral", "A"),
          a -> a.equals(List.of(containerIp)));
      assertThat(dig.answer("_web-net._tcp.marathon.corral", "SRV")).singleElement().asString()
          .contains(" " + hostPort + " ").contains(".marathon.slave.corral.");

      assertThat(node.api.delete("/v2/apps/net/web").status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> get(hostPort).isEmpty());
    }
  }

  private static String get(int port) {
    return get("http://127.0.0.1:" + port + "/");
  }

  private static String get(String url) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      return client.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body().trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}

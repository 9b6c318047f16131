package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.agent.image.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods end to end on a real single-node cluster: a pod of two containers, one serving HTTP on its endpoint,
 * the other reaching it on localhost and writing what it saw into the pod's shared ephemeral volume; the CLI's
 * pod commands; exec into a pod container; scaling the pod as whole instances; deleting it leaves no process.
 */
class PodIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String POD = """
      {"id": "/it/duo", "scaling": {"kind": "fixed", "instances": 1},
       "volumes": [{"name": "shared"}],
       "containers": [
         {"name": "server", "resources": {"cpus": 0.1, "mem": 64},
          "exec": {"command": {"shell": "echo pod-hello-$MARATHON_APP_ID > index.html; exec python3 -m http.server --bind 127.0.0.1 $ENDPOINT_WEB"}},
          "endpoints": [{"name": "web", "hostPort": 0, "protocol": ["http"]}],
          "healthCheck": {"http": {"endpoint": "web", "path": "/"}, "gracePeriodSeconds": 30,
                          "intervalSeconds": 1, "timeoutSeconds": 2, "maxConsecutiveFailures": 3, "delaySeconds": 0},
          "volumeMounts": [{"name": "shared", "mountPath": "data"}]},
         {"name": "client", "resources": {"cpus": 0.1, "mem": 32},
          "exec": {"command": {"shell": "until curl -fsS http://localhost:$ENDPOINT_WEB/index.html > data/seen.tmp; do sleep 0.5; done; mv data/seen.tmp data/seen; echo client-saw-$(cat data/seen); exec sleep 600"}},
          "volumeMounts": [{"name": "shared", "mountPath": "data"}]}],
       "networks": [{"mode": "host"}]}
      """;

  @TempDir
  static Path dir;
  static SingleNode node;

  @BeforeAll
  static void start() throws Exception {
    node = SingleNode.start(dir, "cpus:2;mem:2048;disk:1000", 20);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void twoContainersShareNetworkAndVolumeScaleAsOneAndLeaveNothingBehind() throws Exception {
    Path file = dir.resolve("duo.json");
    Files.writeString(file, POD);
    CorralProcess.Result added = node.cli(WAIT, "pod", "add", file.toString());
    assertThat(added.exitCode()).as(added.output()).isZero();
    assertThat(added.output()).contains("Created pod /it/duo");

    JsonNode status = awaitStatus(s -> stableInstances(s) == 1 && s.path("status").asText().equals("STABLE"));
    JsonNode instance = status.path("instances").get(0);
    assertThat(instance.path("agentHostname").asText()).isEqualTo("127.0.0.1");
    List<String> names = new ArrayList<>();
    instance.path("containers").forEach(c -> names.add(c.path("name").asText()));
    assertThat(names).containsExactly("server", "client");
    JsonNode server = instance.path("containers").get(0);
    int port = server.path("endpoints").get(0).path("allocatedHostPort").asInt();
    assertThat(port).isPositive();
    String serverTask = server.path("containerId").asText();
    String clientTask = instance.path("containers").get(1).path("containerId").asText();

    // the client reached the server on localhost: its log says so
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() ->
        node.cli(WAIT, "task", "log", clientTask).output().contains("client-saw-pod-hello-/it/duo"));
    // and what it wrote into the shared volume is in the server's view of it, seen from inside the server
    CorralProcess.Result exec = CorralProcess.run(dir, WAIT, "task", "exec", "--url", node.url, serverTask, "--",
        "cat", "data/seen");
    assertThat(exec.exitCode()).as(exec.output()).isZero();
    assertThat(exec.output()).contains("pod-hello-/it/duo");

    // the CLI and the groups, tasks and apps views
    CorralProcess.Result list = node.cli(WAIT, "pod", "list");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output()).contains("/it/duo");
    CorralProcess.Result shown = node.cli(WAIT, "pod", "status", "/it/duo", "--json");
    assertThat(Marathon.JSON.readTree(shown.output()).path("id").asText()).isEqualTo("/it/duo");
    JsonNode group = node.api.get("/v2/groups/it").json();
    assertThat(group.path("pods").get(0).path("id").asText()).isEqualTo("/it/duo");
    assertThat(group.path("apps")).isEmpty();
    assertThat(node.api.get("/v2/tasks").body()).contains(serverTask).contains(clientTask);

    // scaled to two instances: a second copy of the whole pod, then back to one
    ObjectNode two = (ObjectNode) Marathon.JSON.readTree(POD);
    ((ObjectNode) two.get("scaling")).put("instances", 2);
    assertThat(node.api.put("/v2/pods/it/duo", two.toString()).status()).isEqualTo(200);
    // (the pod reads STABLE once its scale deployment is over too: the next change would meet a 409 before)
    JsonNode scaled = awaitStatus(s -> stableInstances(s) == 2 && s.path("status").asText().equals("STABLE"));
    assertThat(scaled.path("instances")).hasSize(2);
    assertThat(scaled.path("instances").get(0).path("containers")).hasSize(2);
    assertThat(scaled.path("instances").get(1).path("containers")).hasSize(2);
    assertThat(node.api.put("/v2/pods/it/duo", POD).status()).isEqualTo(200);
    awaitStatus(s -> s.path("instances").size() == 1 && stableInstances(s) == 1
        && s.path("status").asText().equals("STABLE"));

    // deleted: the pod is gone and so is every process it ran
    CorralProcess.Result removed = node.cli(WAIT, "pod", "remove", "/it/duo");
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    await().atMost(WAIT).until(() -> node.api.get("/v2/pods/it/duo").status() == 404);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(TaskProcesses.under(dir).stream().filter(p -> p.cwd().toString().contains("it_duo")).toList())
            .as("processes of the pod").isEmpty());
    await().atMost(WAIT).until(() -> node.api.get("/v2/deployments").json().isEmpty());
  }

  @Test
  void anInvalidPodIsRefusedWithTheFieldPath() throws Exception {
    Marathon.Response r = node.api.post("/v2/pods", """
        {"id": "/it/bad", "containers": [{"name": "a", "resources": {"cpus": -1}},
                                           {"name": "a", "volumeMounts": [{"name": "nope", "mountPath": "x"}]}]}
        """);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body()).contains("/containers/0/resources/cpus", "/containers/1/name",
        "/containers/1/volumeMounts/0/name");
  }

  /**
   * The same kind of pod under the oci containerizer with container networking: the instance's containers
   * share one network namespace (the client reaches the server's container port on localhost), the
   * endpoint's host port is forwarded into it, and deleting the pod removes the namespace. Needs root, runc,
   * ip and iptables (CI installs them).
   */
  @Test
  void underTheOciContainerizerAPodSharesOneNetworkNamespace() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")),
        "runc is not installed (apt-get install runc)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "container networking needs root");
    for (String tool : List.of("ip", "iptables-restore")) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool)),
          tool + " is not installed (apt-get install iproute2 iptables)");
    }
    Path ociDir = dir.resolve("oci");
    try (SingleNode oci = SingleNode.start(ociDir, "cpus:2;mem:1024;disk:100", 10, "--containerizers", "oci,process")) {
      Marathon.Response created = oci.api.post("/v2/pods", """
          {"id": "/it/netpod",
           "volumes": [{"name": "shared"}],
           "containers": [
             {"name": "server", "resources": {"cpus": 0.1, "mem": 64},
              "exec": {"command": {"shell": "echo netpod-hello > index.html; exec python3 -m http.server 8080"}},
              "endpoints": [{"name": "web", "containerPort": 8080, "hostPort": 0, "protocol": ["http"]}],
              "volumeMounts": [{"name": "shared", "mountPath": "data"}]},
             {"name": "client", "resources": {"cpus": 0.1, "mem": 32},
              "exec": {"command": {"shell": "until curl -fsS http://localhost:$ENDPOINT_WEB/index.html > data/seen.tmp; do sleep 0.5; done; mv data/seen.tmp data/seen; echo client-saw-$(cat data/seen); exec sleep 600"}},
              "volumeMounts": [{"name": "shared", "mountPath": "data"}]}],
           "networks": [{"mode": "container", "name": "dcos"}]}
          """);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      JsonNode[] last = new JsonNode[1];
      await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
        last[0] = oci.api.get("/v2/pods/it/netpod::status").json();
        JsonNode i = last[0].path("instances").path(0);
        return i.path("containers").size() == 2 && "STABLE".equals(i.path("status").asText());
      });
      JsonNode instance = last[0].path("instances").get(0);
      String address = instance.path("networks").get(0).path("addresses").path(0).asText();
      assertThat(address).as(instance.toString()).isNotEmpty();
      String clientTask = instance.path("containers").get(1).path("containerId").asText();
      int hostPort = instance.path("containers").get(0).path("endpoints").get(0).path("allocatedHostPort").asInt();
      await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() ->
          oci.cli(WAIT, "task", "log", clientTask).output().contains("client-saw-netpod-hello"));
      // the endpoint's host port reaches the server inside the namespace
      await().atMost(WAIT).until(() -> httpGet(hostPort).contains("netpod-hello"));

      assertThat(oci.api.delete("/v2/pods/it/netpod").status()).isEqualTo(202);
      await().atMost(WAIT).until(() -> oci.api.get("/v2/pods/it/netpod").status() == 404
          && oci.api.get("/v2/deployments").json().isEmpty());
      await().atMost(WAIT).until(() -> httpGet(hostPort).isEmpty());
      await().atMost(WAIT).untilAsserted(() -> assertThat(netnsList()).doesNotContain("it_netpod"));
    }
  }

  /**
   * Marathon's ephemeral-volume pod shape: a container running in an image (pulled from a registry on
   * loopback) writes into the pod's volume, and a container on the host's filesystem reads it there.
   */
  @Test
  void aContainerInItsImageSharesTheVolumeWithOneOnTheHost() throws Exception {
    Assumptions.assumeTrue(TestRegistry.missing() == null, String.valueOf(TestRegistry.missing()));
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")),
        "runc is not installed (apt-get install runc)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "OCI containers need root");
    Path imageDir = dir.resolve("image");
    try (TestRegistry registry = TestRegistry.start(imageDir.resolve("registry"))) {
      registry.push(TestRegistry.buildTinyLayout(imageDir.resolve("layout")), "tiny:1");
      try (SingleNode oci = SingleNode.start(imageDir, "cpus:2;mem:1024;disk:500", 10, "--containerizers",
          "oci,process", "--insecure-registries", registry.host())) {
        Marathon.Response created = oci.api.post("/v2/pods", """
            {"id": "/it/clock",
             "containers": [
               {"name": "ct1", "resources": {"cpus": 0.1, "mem": 32},
                "image": {"kind": "DOCKER", "id": "%s/tiny:1"},
                "exec": {"command": {"shell": "while true; do grep ^ID= /etc/os-release > ./ct1-v1/clock; sleep 1; done"}},
                "volumeMounts": [{"name": "v1", "mountPath": "ct1-v1"}]},
               {"name": "ct2", "resources": {"cpus": 0.1, "mem": 32},
                "exec": {"command": {"shell": "until [ -s ./etc/clock ]; do sleep 0.5; done; echo ct2-read-$(cat ./etc/clock); exec sleep 600"}},
                "volumeMounts": [{"name": "v1", "mountPath": "etc"}]}],
             "networks": [{"mode": "host"}],
             "volumes": [{"name": "v1"}]}
            """.formatted(registry.host()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
          last[0] = oci.api.get("/v2/pods/it/clock::status").json();
          return "STABLE".equals(last[0].path("instances").path(0).path("status").asText());
        });
        String reader = last[0].path("instances").get(0).path("containers").get(1).path("containerId").asText();
        // what the image's container wrote (its own /etc/os-release) is read on the host side
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() ->
            oci.cli(WAIT, "task", "log", reader).output().contains("ct2-read-ID=corral-test"));
        assertThat(oci.api.delete("/v2/pods/it/clock").status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> oci.api.get("/v2/pods/it/clock").status() == 404
            && oci.api.get("/v2/deployments").json().isEmpty());
      }
    }
  }

  private static String netnsList() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static String httpGet(int port) {
    try {
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
          .timeout(Duration.ofSeconds(3)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body().trim();
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static int stableInstances(JsonNode status) {
    int n = 0;
    for (JsonNode i : status.path("instances")) {
      n += "STABLE".equals(i.path("status").asText()) ? 1 : 0;
    }
    return n;
  }

  private static JsonNode awaitStatus(java.util.function.Predicate<JsonNode> ok) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      Marathon.Response r = node.api.get("/v2/pods/it/duo::status");
      if (r.status() == 200) {
        status = r.json();
        if (ok.test(status)) {
          return status;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the pod's status never matched within " + WAIT + "; last: " + status
        + "\nqueue: " + node.api.get("/v2/queue").body());
  }
}

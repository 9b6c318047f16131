package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.agent.image.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Marathon app with `container.docker.image` on `corral up --containerizers oci,process`: the image (busybox
 * built by the test) is pushed to a real docker-registry on loopback, pulled by the agent with skopeo, and the
 * task sees the image's files; an image that does not exist fails with the registry's reason.
 */
class ImageIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void anAppRunsInItsImageAndAMissingImageFailsClearly() throws Exception {
    Assumptions.assumeTrue(TestRegistry.missing() == null, String.valueOf(TestRegistry.missing()));
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")),
        "runc is not installed (apt-get install runc)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "OCI containers need root");
    try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"))) {
      registry.push(TestRegistry.buildTinyLayout(dir.resolve("layout")), "tiny:1");
      try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:500", 10, "--containerizers", "oci,process",
          "--insecure-registries", registry.host())) {
        assertThat(node.api.post("/v2/apps", """
            {"id": "/tiny", "cpus": 0.1, "mem": 64,
             "container": {"type": "DOCKER", "docker": {"image": "%s/tiny:1"}},
             "cmd": "cat /etc/os-release; test -e /usr/bin/java || echo no-host-java; sleep 3600"}
            """.formatted(registry.host())).status()).isEqualTo(201);
        List<JsonNode> tasks = node.api.awaitTasks("/tiny", Marathon.running(1), WAIT);
        String taskId = tasks.get(0).path("id").asText();
        await().atMost(WAIT).until(() -> node.cli(WAIT, "task", "log", taskId).output().contains("no-host-java"));
        assertThat(node.cli(WAIT, "task", "log", taskId).output()).contains("ID=corral-test");

        assertThat(node.api.post("/v2/apps", """
            {"id": "/missing-image", "cpus": 0.1, "mem": 32,
             "container": {"type": "DOCKER", "docker": {"image": "%s/nope:1"}}, "cmd": "true"}
            """.formatted(registry.host())).status()).isEqualTo(201);
        await().atMost(WAIT).until(() -> node.api.get("/v2/apps/missing-image").json().path("app")
            .path("lastTaskFailure").path("message").asText().contains("pull of " + registry.host() + "/nope:1 failed"));
        assertThat(node.api.get("/v2/apps/missing-image").json().at("/app/lastTaskFailure/message").asText())
            .contains("manifest unknown");
        // the image task kept running meanwhile
        assertThat(node.api.awaitTasks("/tiny", Marathon.running(1), WAIT)).hasSize(1);
      }
    }
  }
}

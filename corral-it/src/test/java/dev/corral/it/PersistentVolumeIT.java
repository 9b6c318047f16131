package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `corral up` and a Marathon resident app: a counter kept in a persistent local volume survives a killed task,
 * a scale to zero and back, and is destroyed with the app, which also gives its reserved resources back.
 */
class PersistentVolumeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void aCounterInAPersistentVolumeSurvivesItsTasksAndGoesWithTheApp() throws Exception {
    try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:200", 5)) {
      Marathon.Response created = node.api.post("/v2/apps", """
          {"id": "/pv/counter", "cpus": 0.1, "mem": 32, "disk": 1,
           "cmd": "n=$(cat data/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > data/count; echo count=$n; sleep 3600",
           "container": {"type": "MESOS", "volumes": [
             {"containerPath": "data", "mode": "RW", "persistent": {"type": "root", "size": 50}}]},
           "residency": {"taskLostBehavior": "WAIT_FOREVER"}}
          """);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      JsonNode first = node.api.awaitTasks("/pv/counter", Marathon.running(1), WAIT).get(0);
      String persistenceId = first.at("/localVolumes/0/persistenceId").asText();
      assertThat(persistenceId).startsWith("pv_counter.instance-");
      awaitLog(node, first.path("id").asText(), "count=1");
      Path volume = volumeDir(persistenceId);
      assertThat(Files.readString(volume.resolve("count")).trim()).isEqualTo("1");
      JsonNode reserved = reservedOnTheAgent(node);
      assertThat(reserved.toString()).as("reserved for the service scheduler's role").contains("slave_public");
      JsonNode listed = node.api.get("/master/slaves").json().at("/slaves/0/persistent_volumes/0");
      assertThat(listed.path("persistence_id").asText()).isEqualTo(persistenceId);
      assertThat(listed.path("size_mb").asDouble()).isEqualTo(50);

      // a killed task is relaunched on its volume
      assertThat(node.api.delete("/v2/apps/pv/counter/tasks/" + first.path("id").asText()).status()).isEqualTo(200);
      JsonNode second = awaitNewTask(node, first.path("id").asText());
      assertThat(second.at("/localVolumes/0/persistenceId").asText()).isEqualTo(persistenceId);
      awaitLog(node, second.path("id").asText(), "count=2");

      // scaled to zero the volume stays; scaled up again the same instance takes it up
      assertThat(node.api.put("/v2/apps/pv/counter", "{\"instances\": 0}").status()).isEqualTo(200);
      node.api.awaitTasks("/pv/counter", List::isEmpty, WAIT);
      assertThat(Files.readString(volume.resolve("count")).trim()).isEqualTo("2");
      assertThat(node.api.put("/v2/apps/pv/counter", "{\"instances\": 1}").status()).isEqualTo(200);
      JsonNode third = node.api.awaitTasks("/pv/counter", Marathon.running(1), WAIT).get(0);
      assertThat(third.at("/localVolumes/0/persistenceId").asText()).isEqualTo(persistenceId);
      awaitLog(node, third.path("id").asText(), "count=3");

      // deleted, the app's volume is destroyed on the agent and its reservation given back
      assertThat(node.api.delete("/v2/apps/pv/counter").status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> !Files.exists(volume));
      await().atMost(WAIT).until(() -> !reservedOnTheAgent(node).toString().contains("slave_public"));
      assertThat(node.api.get("/master/slaves").json().at("/slaves/0/persistent_volumes")).isEmpty();
      await().atMost(WAIT).until(() -> node.api.get("/v2/deployments").json().isEmpty());
    }
  }

  private static void awaitLog(SingleNode node, String taskId, String text) {
    await().atMost(WAIT).until(() -> node.cli(WAIT, "task", "log", taskId).output().contains(text));
  }

  private static JsonNode awaitNewTask(SingleNode node, String oldTaskId) throws Exception {
    return node.api.awaitTasks("/pv/counter", tasks -> tasks.size() == 1
        && !tasks.get(0).path("id").asText().equals(oldTaskId)
        && tasks.get(0).path("state").asText().equals("TASK_RUNNING"), WAIT).get(0);
  }

  /** The agent's directory of the volume, under `corral up`'s work directory. */
  private Path volumeDir(String persistenceId) throws Exception {
    try (Stream<Path> all = Files.walk(dir.resolve("work"))) {
      return all.filter(p -> p.getFileName().toString().equals(persistenceId)
          && p.getParent().getFileName().toString().equals("volumes")).findFirst().orElseThrow();
    }
  }

  /** The agent's reserved resources, as the master shows them. */
  private static JsonNode reservedOnTheAgent(SingleNode node) throws Exception {
    return node.api.get("/master/slaves").json().at("/slaves/0/reserved_resources");
  }
}

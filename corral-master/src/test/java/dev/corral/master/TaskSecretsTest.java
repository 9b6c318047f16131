package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.ReadSecretsReply;
import dev.corral.api.v1.ReadSecretsRequest;
import dev.corral.api.v1.SecretRef;
import dev.corral.state.SecretStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An agent reads the secrets of a task the master launched on it, and of no other task. */
class TaskSecretsTest {
  private final MasterFixture m = new MasterFixture();

  @AfterEach
  void close() {
    m.close();
  }

  private ReadSecretsReply read(String agentId, String taskId) {
    CompletableFuture<ReadSecretsReply> f = m.master.taskSecrets()
        .read(ReadSecretsRequest.newBuilder().setAgentId(agentId).setTaskId(taskId).build());
    m.loop.runPending();
    return f.join();
  }

  @Test
  void theAgentOfTheTaskGetsTheValuesItReferencesAndNoOtherAgentDoes() {
    SecretStore secrets = new SecretStore(m.store);
    secrets.put("db/password", "s3cret".getBytes(StandardCharsets.UTF_8)).join();
    secrets.put("other", "not-yours".getBytes(StandardCharsets.UTF_8)).join();
    String fid = frameworkId(m.framework("fw", "*"));
    FakeLink<MasterMessage> a = m.agent("node-a", "cpus:2;mem:512");
    FakeLink<MasterMessage> b = m.agent("node-b", "cpus:2;mem:512");
    m.allocate();
    String offerA = m.snapshot().offers().stream().filter(o -> o.agentId().equals(agentId(a))).findFirst()
        .orElseThrow().id();
    m.launch(fid, List.of(offerA), 0, task("t1", "cpus:1;mem:128").toBuilder()
        .addSecrets(SecretRef.newBuilder().setSource("db/password").setEnvName("DB_PASSWORD"))
        .addSecrets(SecretRef.newBuilder().setSource("not/created").setFilePath("creds")).build());

    ReadSecretsReply reply = read(agentId(a), "t1");
    assertThat(reply.getValuesMap()).containsOnlyKeys("db/password");
    assertThat(reply.getValuesMap().get("db/password").toStringUtf8()).isEqualTo("s3cret");

    assertThatThrownBy(() -> read(agentId(b), "t1")).hasMessageContaining("not one the master launched on agent");
    assertThatThrownBy(() -> read(agentId(a), "t-unknown")).hasMessageContaining("not one the master launched");
  }
}

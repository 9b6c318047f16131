package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * A real agent gives a task its secrets: it asks the master for the values right before the launch, puts
 * environment secrets into the process's environment and file secrets into the sandbox (mode 0400), and
 * checkpoints neither; a missing secret fails the task with how to create it.
 */
class TaskSecretsTest extends RealAgentTestBase {

  private static TaskInfo withSecret(TaskInfo task, String source, String env, String file) {
    return task.toBuilder().addSecrets(SecretRef.newBuilder().setSource(source).setEnvName(env).setFilePath(file))
        .build();
  }

  @Test
  void environmentAndFileSecretsReachTheTaskButNotItsCheckpoint() throws Exception {
    startAgent();
    master.secrets.put("db/password", "s3cret-pw");
    master.secrets.put("tls/key", "-----BEGIN KEY-----\n");
    String id = unique("sec");
    TaskInfo task = withSecret(shellTask(id, "echo pw=$DB_PASSWORD; cat conf/tls.key"), "db/password", "DB_PASSWORD", "");
    master.runTask(withSecret(task, "tls/key", "", "conf/tls.key"));
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);

    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("pw=s3cret-pw\n-----BEGIN KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox(id).resolve("conf/tls.key"))))
        .isEqualTo("r--------");
    assertThat(master.secretReads).singleElement().satisfies(r -> {
      assertThat(r.getTaskId()).isEqualTo(id);
      assertThat(r.getAgentId()).isEqualTo("agent-1");
    });
    try (var files = Files.walk(workDir.resolve("meta"))) {
      for (var f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("checkpoint file %s", f).doesNotContain("s3cret-pw");
      }
    }
  }

  @Test
  void aMissingSecretFailsTheTaskWithHowToCreateIt() {
    startAgent();
    String id = unique("nosec");
    master.runTask(withSecret(shellTask(id, "echo should-not-run"), "db/missing", "X", ""));
    assertThat(master.awaitStatus(id, TaskState.TASK_FAILED, LONG).getMessage())
        .contains("secret db/missing does not exist").contains("corral secret create db/missing");
    assertThat(sandbox(id).resolve("stdout")).doesNotExist();
  }
}

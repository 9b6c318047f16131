package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `corral up`, secrets made with the CLI (a text password, a binary keystore), and an app that gets them as an
 * environment variable and a file: the task sees both, the app's definition and the agent's checkpoint hold
 * neither value; a job's run gets them too; and a task whose secret was deleted fails with how to create it.
 */
class SecretIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void anAppGetsItsSecretsAsEnvironmentAndFileAndAMissingOneIsExplained() throws Exception {
    byte[] keystore = new byte[300];
    for (int i = 0; i < keystore.length; i++) {
      keystore[i] = (byte) (i * 7);
    }
    Path keystoreFile = Files.write(dir.resolve("keystore.jks"), keystore);
    Path passwordFile = Files.writeString(dir.resolve("pw.txt"), "correct horse battery staple");
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keystore));
    try (SingleNode node = SingleNode.start(dir, "cpus:2;mem:1024;disk:100", 5)) {
      CorralProcess.Result created = node.cli(WAIT, "secret", "create", "db/password", "--value-file",
          passwordFile.toString());
      assertThat(created.output()).contains("Secret db/password created (28 bytes)");
      assertThat(node.cli(WAIT, "secret", "create", "db/keystore", "--value-file", keystoreFile.toString())
          .output()).contains("Secret db/keystore created (300 bytes)");
      assertThat(node.cli(WAIT, "secret", "list").output()).contains("db/password", "db/keystore");
      assertThat(node.cli(WAIT, "secret", "get", "db/password").output()).contains("correct horse battery staple");

      assertThat(node.api.post("/v2/apps", """
          {"id": "/db/client", "cpus": 0.1, "mem": 32,
           "cmd": "echo \\"pw=$DB_PASSWORD\\"; sha256sum conf/keystore.jks; ls -l conf/keystore.jks; sleep 3600",
           "secrets": {"pw": {"source": "/db/password"}, "ks": {"source": "db/keystore"}},
           "env": {"DB_PASSWORD": {"secret": "pw"}},
           "container": {"type": "MESOS", "volumes": [{"containerPath": "conf/keystore.jks", "secret": "ks"}]}}
          """).status()).isEqualTo(201);
      List<JsonNode> tasks = node.api.awaitTasks("/db/client", Marathon.running(1), WAIT);
      String taskId = tasks.get(0).path("id").asText();
      await().atMost(WAIT).until(() -> node.cli(WAIT, "task", "log", taskId).output().contains("keystore.jks"));
      String log = node.cli(WAIT, "task", "log", taskId).output();
      assertThat(log).contains("pw=correct horse battery staple", sha).contains("-r--------");

      assertThat(node.api.get("/v2/apps/db/client").body()).doesNotContain("correct horse");
      try (var files = Files.walk(dir.resolve("work"))) {
        for (Path f : files.filter(p -> p.toString().contains("/meta/") && Files.isRegularFile(p)).toList()) {
          assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as("%s", f)
              .doesNotContain("correct horse");
        }
      }

      // a job gets them the same way (its id's dots read as a path: db.nightly may use db/… secrets)
      Marathon.Response job = node.api.post("/v1/jobs", """
          {"id": "db.nightly", "run": {"cpus": 0.1, "mem": 32,
           "cmd": "test \\"$DB_PASSWORD\\" = 'correct horse battery staple' && test -s conf/keystore.jks",
           "secrets": {"pw": {"source": "db/password"}, "ks": {"source": "db/keystore"}},
           "env": {"DB_PASSWORD": {"secret": "pw"}},
           "volumes": [{"containerPath": "conf/keystore.jks", "secret": "ks"}]}}
          """);
      assertThat(job.status()).as(job.body()).isEqualTo(201);
      Marathon.Response run = node.api.post("/v1/jobs/db.nightly/runs", "{}");
      assertThat(run.status()).as(run.body()).isEqualTo(201);
      await().atMost(WAIT).until(() -> node.api.get("/v1/jobs/db.nightly?embed=history").json()
          .at("/history/successCount").asLong() == 1);

      assertThat(node.cli(WAIT, "secret", "delete", "db/password").output()).contains("Secret db/password deleted");
      assertThat(node.api.post("/v2/apps/db/client/restart", "{}").status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> node.api.get("/v2/apps/db/client?embed=apps.lastTaskFailure").json()
          .at("/app/lastTaskFailure/message").asText().contains("secret db/password does not exist"));
    }
  }
}

package dev.corral.services.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.SecretRef;
import dev.corral.services.ApiFixture;
import dev.corral.services.Offers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Marathon's app secrets over HTTP: declared under {@code secrets}, used by {@code env} and by secret
 * volumes; the task carries references only (the agent reads the values), and bad references are refused
 * at their field.
 */
class AppSecretsTest {
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void anAppsSecretsReachTheTaskAsReferencesOnly() {
    ApiFixture.Response created = api.post("/v2/apps", """
        {"id": "/db/client", "cpus": 0.1, "mem": 32, "cmd": "env",
         "secrets": {"pw": {"source": "/db/password"}, "cert": {"source": "db/client/cert"},
           "pull": {"source": "registry-auth"}},
         "env": {"PLAIN": "x", "DB_PASSWORD": {"secret": "pw"}},
         "container": {"type": "MESOS", "volumes": [{"containerPath": "conf/cert.pem", "secret": "cert"}],
           "docker": {"image": "registry.example:5000/db/client:1", "pullConfig": {"secret": "pull"}}}}""");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    JsonNode app = api.get("/v2/apps/db/client").json().get("app");
    assertThat(app.at("/env/DB_PASSWORD/secret").asText()).isEqualTo("pw");
    assertThat(app.at("/waiting/reason").asText()).isEqualTo("waiting for resource offers");

    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedTasks().size() == 1);
    var task = api.driver.launchedTasks().get(0);
    assertThat(task.getSecretsList()).containsExactly(
        SecretRef.newBuilder().setSource("db/password").setEnvName("DB_PASSWORD").build(),
        SecretRef.newBuilder().setSource("db/client/cert").setFilePath("conf/cert.pem").build(),
        SecretRef.newBuilder().setSource("registry-auth").setPullConfig(true).build());
    assertThat(task.getCommand().getEnvironmentMap()).containsEntry("PLAIN", "x").doesNotContainKey("DB_PASSWORD");
  }

  @Test
  void aPodsContainersGetThePodsAndTheirOwnSecrets() {
    ApiFixture.Response created = api.post("/v2/pods", """
        {"id": "/db/pod", "secrets": {"pw": {"source": "db/password"}, "cert": {"source": "/tls-cert"}},
         "environment": {"DB_PASSWORD": {"secret": "pw"}, "MODE": "prod"},
         "volumes": [{"name": "certvol", "secret": "cert"}, {"name": "shared"}],
         "containers": [
           {"name": "app", "resources": {"cpus": 0.1, "mem": 32}, "exec": {"command": {"shell": "env"}},
            "volumeMounts": [{"name": "certvol", "mountPath": "tls/cert.pem"}, {"name": "shared", "mountPath": "data"}]},
           {"name": "sidecar", "resources": {"cpus": 0.1, "mem": 32}, "exec": {"command": {"shell": "sleep 9"}},
            "environment": {"DB_PASSWORD": "overridden"}}]}""");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    api.driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.driver.launchedGroups().size() == 1);
    var tasks = api.driver.launchedGroups().get(0).getTasksList();
    assertThat(tasks.get(0).getSecretsList()).containsExactly(
        SecretRef.newBuilder().setSource("db/password").setEnvName("DB_PASSWORD").build(),
        SecretRef.newBuilder().setSource("tls-cert").setFilePath("tls/cert.pem").build());
    assertThat(tasks.get(0).getVolumeMountsList()).as("the secret volume is a file, not a mount")
        .extracting(m -> m.getName()).containsExactly("shared");
    assertThat(tasks.get(1).getSecretsList()).as("its own plain value replaces the pod's secret").isEmpty();
    assertThat(tasks.get(1).getCommand().getEnvironmentMap()).containsEntry("DB_PASSWORD", "overridden");

    ApiFixture.Response bad = api.post("/v2/pods", """
        {"id": "/bad-pod", "environment": {"X": {"secret": "nope"}}, "volumes": [{"name": "v", "secret": "gone"}],
         "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}, "exec": {"command": {"shell": "env"}},
           "volumeMounts": [{"name": "v", "mountPath": "/etc/pw"}]}]}""");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.raw()).contains("/environment/X/secret", "/volumes/0/secret");
  }

  @Test
  void anAppUsesTopLevelSecretsAndThoseUnderItsOwnPathOnly() {
    ApiFixture.Response other = api.post("/v2/apps", """
        {"id": "/team-a/web", "cmd": "env", "secrets": {"ok1": {"source": "ca-cert"}, "ok2": {"source": "team-a/db"},
          "ok3": {"source": "team-a/web/key"}, "theirs": {"source": "team-b/db"}, "sibling": {"source": "team-a/api/key"}},
         "env": {"A": {"secret": "ok1"}}}""");
    assertThat(other.status()).isEqualTo(422);
    List<String> paths = new ArrayList<>();
    other.json().get("details").forEach(d -> paths.add(d.get("path").asText()));
    assertThat(paths).containsExactlyInAnyOrder("/secrets/theirs/source", "/secrets/sibling/source");
    assertThat(other.raw()).contains("namespace /team-b, which /team-a/web is not in");
  }

  @Test
  void referencesToUndeclaredSecretsAndBadSourcesAreRefused() {
    ApiFixture.Response r = api.post("/v2/apps", """
        {"id": "/bad", "cmd": "env", "secrets": {"a": {"source": "bad path"}, "b": {}},
         "env": {"X": {"secret": "nope"}},
         "container": {"type": "MESOS", "volumes": [{"containerPath": "/etc/pw", "secret": "other"}]}}""");
    assertThat(r.status()).isEqualTo(422);
    List<String> paths = new ArrayList<>();
    r.json().get("details").forEach(d -> paths.add(d.get("path").asText() + " " + d.get("errors").get(0).asText()));
    assertThat(paths).anySatisfy(p -> assertThat(p).startsWith("/secrets/a/source ").contains("not a secret path"))
        .anySatisfy(p -> assertThat(p).startsWith("/secrets/b/source "))
        .anySatisfy(p -> assertThat(p).startsWith("/env/X/secret ").contains("'nope'"))
        .anySatisfy(p -> assertThat(p).startsWith("/container/volumes/0/secret ").contains("'other'"));
  }
}

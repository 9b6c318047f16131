package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretStoreTest {
  private final SecretStore secrets = new SecretStore(new MemoryStore());

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void secretsAreKeptByPathAndListedUnderAPrefix() {
    secrets.put("db", bytes("a")).join();
    secrets.put("db/password", bytes("s3cret")).join();
    secrets.put("dbx", bytes("b")).join();
    secrets.put("kafka/sasl/jaas.conf", bytes("c")).join();
    assertThat(new String(secrets.get("db/password").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    assertThat(secrets.list("")).containsExactly("db", "db/password", "dbx", "kafka/sasl/jaas.conf");
    assertThat(secrets.list("db")).containsExactly("db", "db/password");
    assertThat(secrets.list("kafka")).containsExactly("kafka/sasl/jaas.conf");

    secrets.put("db/password", bytes("new")).join();
    assertThat(secrets.get("db/password")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("new")));
    secrets.delete("db/password").join();
    assertThat(secrets.exists("db/password")).isFalse();
    assertThat(secrets.exists("db")).isTrue();
  }

  @Test
  void aSecretUnderAPathServesOnlyOwnersAtOrBelowIt() {
    assertThat(SecretStore.outsideNamespace("/anything", "ca-cert")).isNull();
    assertThat(SecretStore.outsideNamespace("/team-a", "team-a/db")).isNull();
    assertThat(SecretStore.outsideNamespace("/team-a/web", "team-a/db")).isNull();
    assertThat(SecretStore.outsideNamespace("/team-a/web", "team-a/web/key")).isNull();
    assertThat(SecretStore.outsideNamespace("/team-a/web", "team-a/api/key")).contains("namespace /team-a/api");
    assertThat(SecretStore.outsideNamespace("/team-ab", "team-a/db")).as("a prefix of a name is no parent")
        .contains("namespace /team-a,");
  }

  @Test
  void badPathsAndOversizedValuesAreRefused() {
    assertThat(SecretStore.problem("db/password")).isNull();
    assertThat(SecretStore.problem("")).isNotNull();
    assertThat(SecretStore.problem("/db")).contains("not a secret path");
    assertThat(SecretStore.problem("db//x")).contains("not a secret path");
    assertThat(SecretStore.problem("db/../x")).contains("not a secret path");
    assertThat(SecretStore.problem("db x")).contains("not a secret path");
    assertThat(SecretStore.problem("a".repeat(256))).contains("255");
    assertThatThrownBy(() -> secrets.put("a/", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> secrets.put("big", new byte[SecretStore.MAX_VALUE_BYTES + 1]))
        .hasMessageContaining("at most");
  }
}

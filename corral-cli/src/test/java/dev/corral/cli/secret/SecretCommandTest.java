package dev.corral.cli.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code secret create|update|get|list|delete} against a fake gateway; the real API is in SecretIT. */
class SecretCommandTest {
  private FakeMarathon gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeMarathon();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void createFromStdinSendsTheValueAsJsonText() {
    gateway.on("PUT", "/secrets/v1/secret/default/db/password", 201, "");
    Result r = CliRun.run(Map.of(), "s3cret\n", "secret", "create", "db/password", "--value-file", "-",
        "--url", gateway.url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Secret db/password created (7 bytes)\n");
    FakeMarathon.Request sent = gateway.requests("PUT", "/secrets/v1/secret/default/db/password").get(0);
    assertThat(sent.contentType()).startsWith("application/json");
    assertThat(sent.body()).isEqualTo("{\"value\":\"s3cret\\n\"}");
  }

  @Test
  void anExistingSecretIsNotOverwrittenAndTheServersReasonIsShown() {
    gateway.on("PUT", "/secrets/v1/secret/default/db/password", 409,
        "{\"message\": \"secret db/password exists already; change it with PATCH\"}");
    Result r = CliRun.run("secret", "create", "db/password", "--value", "x", "--url", gateway.url());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("exists already");
  }

  @Test
  void listShowsFullPathsAndGetPrintsTheValue() {
    gateway.on("GET", "/secrets/v1/secret/default/db?list=true", 200, "{\"array\": [\"password\", \"user\"]}");
    Result list = CliRun.run("secret", "list", "db", "--url", gateway.url());
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).isEqualTo("PATH\ndb/password\ndb/user\n");
    assertThat(CliRun.run("secret", "list", "db", "--json", "--url", gateway.url()).out())
        .contains("\"db/password\"", "\"db/user\"");

    gateway.on("GET", "/secrets/v1/secret/default/db/user", 200, "app-user");
    Result get = CliRun.run("secret", "get", "db/user", "--url", gateway.url());
    assertThat(get.out()).isEqualTo("app-user\n");
    assertThat(gateway.requests("GET", "/secrets/v1/secret/default/db/user").get(0).accept())
        .isEqualTo("application/octet-stream");
  }

  @Test
  void updateAndDelete() {
    gateway.on("PATCH", "/secrets/v1/secret/default/db/user", 204, "");
    gateway.on("DELETE", "/secrets/v1/secret/default/db/user", 204, "");
    assertThat(CliRun.run("secret", "update", "db/user", "--value", "v2", "--url", gateway.url()).out())
        .isEqualTo("Secret db/user updated (2 bytes)\n");
    assertThat(CliRun.run("secret", "delete", "db/user", "--json", "--url", gateway.url()).out())
        .contains("\"deleted\" : true");
    Result neither = CliRun.run("secret", "create", "x", "--url", gateway.url());
    assertThat(neither.exitCode()).isNotZero();
    assertThat(neither.err()).contains("--value");
  }
}

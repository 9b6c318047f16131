package dev.corral.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.FakeMarathon;
import dev.corral.cli.config.CliConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthCommandTest {
  @TempDir
  Path config;
  private FakeMarathon fake;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeMarathon();
    env = Map.of(CliConfig.DIR_ENV, config.toString());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void loginKeepsTheTokenInAPrivateContextThatLaterCommandsUse() throws Exception {
    fake.on("POST", "/acs/api/v1/auth/login", 200, "{\"token\": \"T1\"}");
    fake.on("GET", "/v2/apps?embed=apps.counts", 200, "{\"apps\": []}");
    fake.on("POST", "/acs/api/v1/auth/logout", 204, "");

    CliRun.Result login = CliRun.run(env, "s3cret-pw\n", "auth", "login", "--username", "alice", "--url", fake.url());
    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(login.out()).contains("Logged in to " + fake.url() + " as alice");
    assertThat(fake.requests("POST", "/acs/api/v1/auth/login").get(0).body())
        .contains("\"uid\":\"alice\"").contains("\"password\":\"s3cret-pw\"");
    Path context = Files.list(config.resolve("clusters")).filter(p -> p.toString().endsWith(".json")).findFirst()
        .orElseThrow();
    assertThat(Files.getPosixFilePermissions(context)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // no --url: the current context's address and token
    CliRun.Result list = CliRun.run(env, "", "app", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(fake.requests("GET", "/v2/apps?embed=apps.counts").get(0).authorization()).isEqualTo("token=T1");

    // $CORRAL_TOKEN wins over the context
    CliRun.run(Map.of(CliConfig.DIR_ENV, config.toString(), "CORRAL_TOKEN", "T2"), "", "app", "list");
    assertThat(fake.requests("GET", "/v2/apps?embed=apps.counts").get(1).authorization()).isEqualTo("token=T2");

    CliRun.Result logout = CliRun.run(env, "", "auth", "logout");
    assertThat(logout.exitCode()).as(logout.err()).isZero();
    assertThat(fake.requests("POST", "/acs/api/v1/auth/logout").get(0).authorization()).isEqualTo("token=T1");
    CliRun.run(env, "", "app", "list");
    assertThat(fake.requests("GET", "/v2/apps?embed=apps.counts").get(2).authorization()).isNull();
  }

  @Test
  void aGrantSendsTheResourceIdEncodedTwice() {
    fake.on("PUT", "/acs/api/v1/acls/corral%253Aservice%253Amarathon%253A%252Fdev%252F*/users/alice/read", 204, "");
    CliRun.Result r = CliRun.run(env, "", "permission", "grant", "corral:service:marathon:/dev/*", "read",
        "--user", "alice", "--url", fake.url());
    assertThat(r.exitCode()).as(r.err() + fake.requests()).isZero();
    assertThat(r.out()).contains("Granted read on corral:service:marathon:/dev/* to user alice");
  }

  @Test
  void aServiceAccountsLoginTokenIsAnRs256JwtWithItsUid() throws Exception {
    java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    java.security.KeyPair keys = gen.generateKeyPair();
    String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
        keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    String jwt = ServiceLoginToken.sign("ci-bot", pem, java.time.Instant.ofEpochSecond(1000), java.time.Duration.ofMinutes(5));
    String[] parts = jwt.split("\\.");
    java.util.Base64.Decoder d = java.util.Base64.getUrlDecoder();
    assertThat(new String(d.decode(parts[0]))).contains("\"alg\":\"RS256\"");
    assertThat(new String(d.decode(parts[1]))).contains("\"uid\":\"ci-bot\"").contains("\"exp\":1300");
    java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
    rsa.initVerify(keys.getPublic());
    rsa.update((parts[0] + "." + parts[1]).getBytes());
    assertThat(rsa.verify(d.decode(parts[2]))).isTrue();
  }

  @Test
  void clusterSetupAddsAContextLogsInAndAttachSwitches() {
    fake.on("GET", "/acs/api/v1/auth/status", 200, "{\"authentication\": true, \"uid\": null}");
    fake.on("POST", "/acs/api/v1/auth/login", 200, "{\"token\": \"T9\"}");
    CliRun.Result setup = CliRun.run(env, "pw-pw-pw-pw\n", "cluster", "setup", fake.url(), "--name", "lab");
    assertThat(setup.exitCode()).as(setup.err()).isZero();
    assertThat(setup.out()).contains("as 'lab' and logged in as admin");
    CliRun.Result list = CliRun.run(env, "", "cluster", "list");
    assertThat(list.out()).contains("*").contains("lab").contains(fake.url());
    assertThat(CliRun.run(env, "", "cluster", "attach", "nope").exitCode()).isEqualTo(1);
    assertThat(CliRun.run(env, "", "cluster", "attach", "lab").out()).contains("Using lab");
  }

  @Test
  void a401SaysHowToLogIn() {
    fake.on("GET", "/v2/apps?embed=apps.counts", 401, "{\"message\": \"authentication required\"}");
    CliRun.Result r = CliRun.run(env, "", "app", "list", "--url", fake.url());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("authentication required (401)").contains("corral auth login");
  }
}

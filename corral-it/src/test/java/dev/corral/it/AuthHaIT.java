package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover with authentication on: three masters (embedded ZooKeeper members) and an agent holding the
 * cluster secret. The CLI logs in through a standby (`corral cluster setup`), the leader is killed with
 * SIGKILL, and the same token keeps working, for the CLI and for direct API calls, through the new leader:
 * the signing key and accounts live in ZooKeeper, not in the leader's memory. Requests without a token are
 * still refused after the failover.
 */
class AuthHaIT {
  private static final Duration WAIT = HaMasters.WAIT;
  private static final String APP = "/authha/sleeper";
  private static final Pattern PASSWORD = Pattern.compile("web UI login 'admin', password (\\S+)");

  @TempDir
  static Path dir;
  static HaMasters ha;

  @BeforeAll
  static void start() throws Exception {
    // with authentication on even /v2/leader needs a token: the test logs in before it asks who leads
    ha = HaMasters.launch(dir, 3);
  }

  @AfterAll
  static void stop() {
    if (ha != null) {
      ha.deleteApps(APP);
      ha.close();
    }
  }

  @Test
  void aTokenFromBeforeTheFailoverWorksThroughTheNewLeader() throws Exception {
    // The master that leads first creates the administrator and keeps its password in its work dir.
    Path passwordFile = dir.resolve("admin-password");
    int creator = org.awaitility.Awaitility.await().atMost(WAIT).until(AuthHaIT::creator, i -> i >= 0);
    Files.writeString(passwordFile, adminPassword());
    int standby = (creator + 1) % 3;
    String standbyUrl = "http://" + ha.httpAddress(standby);

    // The CLI logs in through a standby; the context it writes is what the API client uses from here on.
    CorralProcess.Result setup = CorralProcess.run(dir, "cluster", "setup", standbyUrl,
        "--password-file", passwordFile.toString());
    assertThat(setup.exitCode()).as(setup.output()).isZero();
    String token = ha.apis.get(standby).token();
    assertThat(token).as("the CLI's login left a token for %s", standbyUrl).isNotBlank();
    ha.authenticate(token);
    int leader = ha.awaitLeader(-1);
    assertThat(leader).as("the leader is the master that created the administrator").isEqualTo(creator);
    Path secret = dir.resolve("master-" + (leader + 1)).resolve("cluster-secret");
    ha.startAgent("agent-1", "cpus:2;mem:1024;disk:512", "--secret-file", secret.toString());
    Marathon api = ha.apis.get(standby);
    assertThat(api.as(null).get("/v2/apps").status()).isEqualTo(401);

    assertThat(api.post("/v2/apps", """
        {"id": "%s", "instances": 1, "cmd": "sleep 100000", "cpus": 0.1, "mem": 16}""".formatted(APP)).status())
        .isEqualTo(201);
    String before = api.awaitTasks(APP, Marathon.running(1), WAIT).get(0).path("id").asText();
    CorralProcess.Result list = CorralProcess.run(dir, "--url", standbyUrl, "app", "list");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output()).contains(APP);

    ha.killAndRestart(leader);
    int next = ha.awaitLeader(leader);
    assertThat(next).isNotEqualTo(leader);

    // The same token, through the standby and at the new leader itself.
    assertThat(api.awaitTasks(APP, Marathon.running(1), WAIT).get(0).path("id").asText()).isEqualTo(before);
    Marathon direct = ha.apis.get(next).as(token);
    assertThat(direct.get("/v2/apps" + APP).status()).isEqualTo(200);
    assertThat(api.put("/v2/apps" + APP, "{\"instances\": 2}").status()).isEqualTo(200);
    direct.awaitTasks(APP, Marathon.running(2), WAIT);
    CorralProcess.Result again = CorralProcess.run(dir, "--url", standbyUrl, "app", "list");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains(APP);

    // Authentication is as strict as before.
    assertThat(ha.apis.get(next).as(null).get("/v2/apps").status()).isEqualTo(401);
    assertThat(ha.apis.get(next).as(token + "x").get("/v2/apps").status()).isEqualTo(401);
  }

  /** The index of the master whose work dir holds the administrator's password; -1 while none does. */
  private static int creator() {
    for (int i = 0; i < 3; i++) {
      if (Files.exists(dir.resolve("master-" + (i + 1)).resolve("admin-password"))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first administrator's password, from the work dir of the master that created it (whether or not it
   * led already when its start printed its summary); the printed one must match.
   */
  private static String adminPassword() throws Exception {
    String kept = null;
    for (int i = 1; i <= 3; i++) {
      Path file = dir.resolve("master-" + i).resolve("admin-password");
      if (Files.exists(file)) {
        assertThat(kept).as("only one master created the administrator").isNull();
        kept = Files.readString(file).strip();
      }
    }
    assertThat(kept).as("a master kept the first administrator's password in its work dir").isNotNull();
    for (CorralProcess m : ha.masters) {
      Matcher printed = PASSWORD.matcher(m.output());
      if (printed.find()) {
        assertThat(printed.group(1)).isEqualTo(kept);
      }
    }
    return kept;
  }
}

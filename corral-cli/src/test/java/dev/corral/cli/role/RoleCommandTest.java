package dev.corral.cli.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code role list|weight} and {@code quota list|set|remove} against a fake gateway speaking the real routes. */
class RoleCommandTest {
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
  void roleListShowsWeightsAllocationAndQuotaAligned() {
    gateway.on("GET", "/master/roles", 200, """
        {"roles": [
          {"name": "*", "weight": 1.0, "frameworks": 2, "allocated": {"cpus": 1.5, "mem": 256},
           "quota": {"role": "*", "guarantee": {}, "limit": {}}},
          {"name": "ads", "weight": 2.0, "frameworks": 0, "allocated": {},
           "quota": {"role": "ads", "guarantee": {"cpus": 2.0}, "limit": {"cpus": 4.0, "mem": 2048.0}}}]}
        """);
    Result r = CliRun.run("role", "list", "--url", gateway.url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        ROLE  WEIGHT  FRAMEWORKS  ALLOCATED          GUARANTEE  LIMIT
        *     1       2           cpus:1.50,mem:256  -          -
        ads   2       0           -                  cpus:2     cpus:4,mem:2048
        """);
  }

  @Test
  void weightAndQuotaCommandsSendTheApiShapes() {
    gateway.on("PUT", "/master/weights", 200, "[{\"role\": \"ads\", \"weight\": 3.0}]");
    gateway.on("POST", "/master/quota", 200, """
        {"role": "ads", "guarantee": {"cpus": 2.0, "mem": 1024.0}, "limit": {"cpus": 4.0}}""");
    gateway.on("DELETE", "/master/quota/ads", 200, "{\"role\": \"ads\", \"guarantee\": {}, \"limit\": {}}");
    gateway.on("GET", "/master/quota", 200, """
        {"infos": [{"role": "ads", "guarantee": {"cpus": 2.0}, "limit": {}}]}""");

    assertThat(CliRun.run("role", "weight", "ads", "3", "--url", gateway.url()).out())
        .isEqualTo("Role ads has weight 3\n");
    assertThat(gateway.requests("PUT", "/master/weights").get(0).body()).isEqualTo("[{\"role\":\"ads\",\"weight\":3.0}]");

    Result set = CliRun.run("quota", "set", "ads", "--guarantee", "cpus:2,mem:1024", "--limit", "cpus:4",
        "--url", gateway.url());
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("Role ads: guarantee cpus:2,mem:1024, limit cpus:4\n");
    assertThat(gateway.requests("POST", "/master/quota").get(0).body())
        .isEqualTo("{\"role\":\"ads\",\"guarantee\":{\"cpus\":2.0,\"mem\":1024.0},\"limit\":{\"cpus\":4.0}}");

    assertThat(CliRun.run("quota", "list", "--url", gateway.url()).out()).isEqualTo("""
        ROLE  GUARANTEE  LIMIT
        ads   cpus:2     -
        """);
    assertThat(CliRun.run("quota", "remove", "ads", "--url", gateway.url()).out())
        .isEqualTo("Removed the quota of role ads\n");

    Result bad = CliRun.run("quota", "set", "ads", "--limit", "cpus=4", "--url", gateway.url());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--limit: expected kind:amount");
  }
}

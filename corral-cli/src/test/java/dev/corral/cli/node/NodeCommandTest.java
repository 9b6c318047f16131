package dev.corral.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun;
import dev.corral.cli.CliRun.Result;
import dev.corral.cli.FakeMarathon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code node list} and {@code node metrics} against a fake gateway speaking the real routes. */
class NodeCommandTest {
  private FakeMarathon gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeMarathon();
    gateway.on("GET", "/master/slaves", 200, """
        {"slaves": [
          {"id": "a-1", "hostname": "n1", "state": "CONNECTED", "http_address": "n1:5051",
           "resources": {"cpus": 4, "mem": 4096, "disk": 1000, "ports": "[31000-32000]"},
           "used_resources": {"cpus": 0.5, "mem": 128}},
          {"id": "a-2", "hostname": "n2", "state": "DISCONNECTED", "http_address": "",
           "resources": {"cpus": 2, "mem": 1024, "disk": 10}, "used_resources": {}},
          {"id": "a-3", "hostname": "n3", "state": "CONNECTED", "active": true, "maintenance": "DRAINING",
           "http_address": "", "resources": {"cpus": 1, "mem": 512, "disk": 10}, "used_resources": {}}]}
        """);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void listShowsIdsHostnamesAndUsage() {
    Result r = CliRun.run("node", "list", "--url", gateway.url());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        ID   HOSTNAME  STATE        CPUS    MEM       DISK    HTTP
        a-1  n1        active       0.50/4  128/4096  0/1000  n1:5051
        a-2  n2        unreachable  0/2     0/1024    0/10    -
        a-3  n3        draining     0/1     0/512     0/10    -
        """);
  }

  @Test
  void drainDeactivateAndReactivatePostAndSayTheNewState() {
    gateway.on("POST", "/master/agents/a-1/drain", 200, """
        {"id": "a-1", "hostname": "n1", "state": "CONNECTED", "active": true, "maintenance": "DRAINING"}
        """);
    gateway.on("POST", "/master/agents/a-1/reactivate", 200, """
        {"id": "a-1", "hostname": "n1", "state": "CONNECTED", "active": true, "maintenance": "ACTIVE"}
        """);
    gateway.on("POST", "/master/agents/a-9/deactivate", 404, """
        {"message": "agent 'a-9' is unknown to the master (see corral node list)"}
        """);
    Result drain = CliRun.run("node", "drain", "a-1", "--grace", "90s", "--url", gateway.url());
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    assertThat(drain.out()).isEqualTo("Node a-1 (n1) is draining\n");
    assertThat(gateway.requests("POST", "/master/agents/a-1/drain").get(0).body()).contains("\"gracePeriodSeconds\":90.0");
    assertThat(CliRun.run("node", "reactivate", "a-1", "--url", gateway.url()).out())
        .isEqualTo("Node a-1 (n1) is active\n");
    Result unknown = CliRun.run("node", "deactivate", "a-9", "--url", gateway.url());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown to the master");
    Result bad = CliRun.run("node", "drain", "a-1", "--grace", "soon", "--url", gateway.url());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--grace: not a duration");
  }

  @Test
  void metricsTakesAHostnameOrAnIdAndShowsFilesystemPaths() {
    gateway.on("GET", "/system/v1/agent/a-2/metrics/v0/node", 200, """
        {"datapoints": [
          {"name": "load.1min", "value": 0.5, "unit": "count", "tags": {}},
          {"name": "filesystem.capacity.free", "value": 10, "unit": "bytes", "tags": {"path": "/var/corral"}}],
         "dimensions": {"agent_id": "a-2"}}
        """);
    String table = """
        NAME                                    VALUE  UNIT
        load.1min                               0.5    count
        filesystem.capacity.free (/var/corral)  10     bytes
        """;
    assertThat(CliRun.run("node", "metrics", "n2", "--url", gateway.url()).out()).isEqualTo(table);
    assertThat(CliRun.run("node", "metrics", "a-2", "--url", gateway.url()).out()).isEqualTo(table);
    Result unknown = CliRun.run("node", "metrics", "n9", "--url", gateway.url());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no agent has the id or hostname 'n9'");
  }
}

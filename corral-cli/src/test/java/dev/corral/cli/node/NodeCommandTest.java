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
           "resources": {"cpus": 2, "mem": 1024, "disk": 10}, "used_resources": {}}]}
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
        ID   HOSTNAME  STATE         CPUS    MEM       DISK    HTTP
        a-1  n1        CONNECTED     0.50/4  128/4096  0/1000  n1:5051
        a-2  n2        DISCONNECTED  0/2     0/1024    0/10    -
        """);
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

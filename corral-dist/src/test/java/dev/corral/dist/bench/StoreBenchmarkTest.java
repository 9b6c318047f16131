package dev.corral.dist.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import dev.corral.dist.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `corral bench store` at toy size: every node is written (the benchmark checks) and the figures come out. */
class StoreBenchmarkTest {
  @TempDir
  Path dir;

  @Test
  void writesEveryNodeAndReportsTheCeiling() throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));

    int code = cli.execute("bench", "store", "--writes", "3000", "--instances", "1000", "--in-flight", "200",
        "--work-dir", dir.toString(), "--json");

    assertThat(code).isZero();
    JsonNode f = Json.mapper().readTree(out.toString());
    assertThat(f.path("nodes").asInt()).isEqualTo(1000);
    assertThat(f.path("bytesPerWrite").asInt()).isGreaterThan(300);
    assertThat(f.path("writesPerSecond").asDouble()).isPositive();
    assertThat(f.path("writesPerTask").asInt()).as("placed and RUNNING").isEqualTo(2);
    assertThat(f.path("tasksPerSecondCeiling").asDouble())
        .isEqualTo(f.path("writesPerSecond").asDouble() / 2, org.assertj.core.data.Offset.offset(0.01));
  }
}

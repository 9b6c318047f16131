package dev.corral.dist.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import dev.corral.dist.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `corral bench services` end to end at toy size: the wiring works and the figures come out. */
class ServicesBenchmarkTest {
  @Test
  void allThreeScenariosRunAndReportTheirFigures() throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));

    int code = cli.execute("bench", "services", "--store", "memory", "--agents", "5", "--instances", "30",
        "--apps", "12", "--clients", "2", "--heap-apps", "6", "--heap-instances", "3", "--heap-agents", "4",
        "--api-rate", "50", "--timeout", "60", "--json");

    assertThat(code).isZero();
    JsonNode f = Json.mapper().readTree(out.toString());
    assertThat(f.path("a").path("tasksRunningByApi").asInt()).isEqualTo(30);
    assertThat(f.path("a").path("allRunningMillis").asLong()).isPositive();
    assertThat(f.path("a").path("api").path("GET_QUEUE").has("p99Millis")).isTrue();
    assertThat(f.path("b").path("apps").asInt()).isEqualTo(12);
    assertThat(f.path("b").path("allRunningMillis").asLong()).isPositive();
    assertThat(f.path("heap").path("tasks").asLong()).isEqualTo(18);
    assertThat(f.path("heap").path("loadedMiB").asLong()).isPositive();
    assertThat(f.path("targets").path("anchor").asText()).contains("Marathon");
  }
}

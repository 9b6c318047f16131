package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Marathon's fetch end to end on `corral up`: an app fetches a real artifact with maven://, and its task
 * runs Java against the fetched lib/. The agent's remote repository is the build's own local Maven
 * repository (a file:// URL), so the test needs no network; the agent resolves into a local repository of
 * its own, so the artifact really travels.
 */
class FetchIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  static Path dir;
  static CorralProcess up;
  static Marathon api;

  @BeforeAll
  static void startCluster() throws Exception {
    Path m2 = Path.of(System.getProperty("corral.m2", System.getProperty("user.home") + "/.m2/repository"));
    int httpPort = Ports.free();
    int ports = Ports.freeRange(10);
    api = new Marathon(httpPort);
    up = CorralProcess.start(dir.resolve("up.log"), "up", "--work-dir", dir.resolve("work").toString(),
        "--http-port", Integer.toString(httpPort), "--grpc-port", Integer.toString(Ports.free()),
        "--hostname", "127.0.0.1", "--resources", "cpus:4;mem:4096;disk:2048;ports:[" + ports + "-" + (ports + 9) + "]",
        "--maven-repository", m2.toUri().toString(),
        "--maven-local-repository", dir.resolve("agent-m2").toString());
    up.awaitLog("is up", WAIT);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (up != null) {
      up.stop();
    }
    TaskProcesses.killAllUnder(dir);
  }

  @Test
  void aTaskRunsJavaAgainstTheJarsItFetchedWithMaven() throws Exception {
    String version = System.getProperty("corral.slf4j.version", "2.0.20");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // A single-file program, compiled and run against lib/*: it only works if the jar is there.
    String program = "public class Probe { public static void main(String[] a) {"
        + " System.out.println(\\\"probe found \\\" + org.slf4j.LoggerFactory.class.getName()); } }";
    String cmd = "ls lib && printf '%s' '" + program + "' > Probe.java && " + java
        + " -Xmx128m -cp 'lib/*' Probe.java && exec sleep 600";
    String app = """
        {"id": "/fetch/slf4j", "cpus": 0.1, "mem": 512, "cmd": "%s",
         "fetch": [{"uri": "maven://org.slf4j:slf4j-api:%s"}]}
        """.formatted(cmd, version);
    Marathon.Response created = api.post("/v2/apps", app);
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    List<JsonNode> tasks = api.awaitTasks("/fetch/slf4j", Marathon.running(1), WAIT);
    Path sandbox = dir.resolve("work/agent/sandboxes").resolve(tasks.get(0).path("id").asText());
    assertThat(sandbox.resolve("lib/slf4j-api-" + version + ".jar")).exists();
    Path stdout = sandbox.resolve("stdout");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(Files.exists(stdout) && Files.readString(stdout).contains("probe found")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(stdout)).as(Files.readString(sandbox.resolve("stderr")))
        .contains("slf4j-api-" + version + ".jar", "probe found org.slf4j.LoggerFactory");
    assertThat(dir.resolve("agent-m2/org/slf4j/slf4j-api/" + version + "/slf4j-api-" + version + ".jar"))
        .as("resolved into the agent's own local repository").exists();
    assertThat(api.get("/v2/apps/fetch/slf4j").json().path("app").has("waiting")).isFalse();
    assertThat(api.delete("/v2/apps/fetch/slf4j?force=true").status()).isEqualTo(200);
  }
}

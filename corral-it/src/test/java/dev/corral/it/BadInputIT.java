package dev.corral.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear 4xx and changes nothing that is stored. */
class BadInputIT {
  private static final String APP = "{\"id\": \"/good\", \"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16, \"instances\": 1}";

  @TempDir
  static Path dir;
  static CorralProcess up;
  static Marathon api;

  @BeforeAll
  static void start() throws Exception {
    int http = Ports.free();
    int ports = Ports.freeRange(5);
    up = CorralProcess.start(dir.resolve("up.log"), "up", "--work-dir", dir.resolve("work").toString(), "--http-port",
        Integer.toString(http), "--grpc-port", Integer.toString(Ports.free()), "--hostname", "127.0.0.1",
        "--resources", "cpus:2;mem:1024;disk:100;ports:[" + ports + "-" + (ports + 4) + "]");
    api = new Marathon(http);
    up.awaitLog("is up", Duration.ofSeconds(60));
    assertThat(api.post("/v2/apps", APP).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    if (up != null) {
      up.stop();
    }
    TaskProcesses.killAllUnder(dir);
  }

  private JsonNode stored() throws Exception {
    JsonNode app = api.get("/v2/apps/good").json().path("app");
    return app;
  }

  @Test
  void malformedJsonIs400AndSaysWhere() throws Exception {
    Marathon.Response r = api.post("/v2/apps", "{\"id\": \"/x\", \"cmd\": ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("message").asText()).isNotBlank();
    assertThat(r.body()).containsIgnoringCase("line");
  }

  @Test
  void wrongTypesAndNegativeResourcesAre422WithFieldPaths() throws Exception {
    Marathon.Response wrongType = api.post("/v2/apps", "{\"id\": \"/x\", \"cmd\": \"sleep 1\", \"cpus\": \"lots\"}");
    assertThat(wrongType.status()).isEqualTo(422);
    assertThat(wrongType.json().path("details").findValuesAsText("path")).contains("/cpus");

    Marathon.Response negative = api.post("/v2/apps", "{\"id\": \"/x\", \"cmd\": \"sleep 1\", \"mem\": -5}");
    assertThat(negative.status()).isEqualTo(422);
    assertThat(negative.json().path("details").findValuesAsText("path")).contains("/mem");
    assertThat(api.get("/v2/apps/x").status()).isEqualTo(404);
  }

  @Test
  void duplicateIdIs409AndKeepsTheOriginal() throws Exception {
    JsonNode before = stored();
    Marathon.Response r = api.post("/v2/apps", APP.replace("sleep 1000", "sleep 2000"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("message").asText()).contains("/good");
    assertThat(stored().path("cmd").asText()).isEqualTo("sleep 1000");
    assertThat(stored().path("version").asText()).isEqualTo(before.path("version").asText());
  }

  @Test
  void invalidUpdateIsRejectedAndChangesNothing() throws Exception {
    JsonNode before = stored();
    Marathon.Response r = api.put("/v2/apps/good", "{\"instances\": -1}");
    assertThat(r.status()).isEqualTo(422);
    assertThat(stored().path("instances").asInt()).isEqualTo(1);
    assertThat(stored().path("version").asText()).isEqualTo(before.path("version").asText());
  }

  @Test
  void unknownIdsAre404() throws Exception {
    for (Marathon.Response r : new Marathon.Response[] {api.get("/v2/apps/missing"), api.delete("/v2/apps/missing"),
        api.get("/v2/apps/missing/tasks"), api.delete("/v2/apps/good/tasks/good.not-a-task")}) {
      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(r.json().path("message").asText()).isNotBlank();
    }
  }
}

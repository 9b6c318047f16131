package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.common.Json;
import dev.corral.state.MemoryStore;
import dev.corral.state.SecretStore;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The secret store's API over HTTP, in DC/OS's shape. */
class SecretRoutesTest {
  private final SecretStore secrets = new SecretStore(new MemoryStore());
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin server;

  @BeforeEach
  void start() {
    Gateway gateway = new Gateway(id -> CompletableFuture.failedFuture(new IllegalStateException()),
        name -> CompletableFuture.failedFuture(new IllegalStateException()), null, AccessCheck.ALLOW_ALL)
        .withSecrets(secrets);
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      gateway.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body, String accept)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> json(String method, String path, String body) throws Exception {
    return send(method, path, "application/json", body == null ? null : body.getBytes(StandardCharsets.UTF_8), null);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void createReadUpdateListAndDelete() throws Exception {
    String url = "/secrets/v1/secret/default/db/password";
    assertThat(json("PUT", url, "{\"value\": \"s3cret\"}").statusCode()).isEqualTo(201);
    assertThat(new String(secrets.get("db/password").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    HttpResponse<byte[]> again = json("PUT", url, "{\"value\": \"other\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(text(again)).contains("exists already");
    assertThat(Json.mapper().readTree(json("GET", url, null).body()).path("value").asText()).isEqualTo("s3cret");

    assertThat(json("PATCH", url, "{\"value\": \"n3w\"}").statusCode()).isEqualTo(204);
    assertThat(Json.mapper().readTree(json("GET", url, null).body()).path("value").asText()).isEqualTo("n3w");

    json("PUT", "/secrets/v1/secret/default/db/user", "{\"value\": \"app\"}");
    json("PUT", "/secrets/v1/secret/default/tls", "{\"value\": \"x\"}");
    assertThat(text(json("GET", "/secrets/v1/secret/default/?list=true", null)))
        .isEqualTo("{\"array\":[\"db/password\",\"db/user\",\"tls\"]}");
    assertThat(text(json("GET", "/secrets/v1/secret/default/db?list=true", null)))
        .isEqualTo("{\"array\":[\"password\",\"user\"]}");

    assertThat(json("DELETE", url, null).statusCode()).isEqualTo(204);
    assertThat(json("GET", url, null).statusCode()).isEqualTo(404);
    assertThat(json("DELETE", url, null).statusCode()).isEqualTo(404);
    assertThat(json("PATCH", url, "{\"value\": \"x\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void binaryValuesGoAsOctetStreams() throws Exception {
    byte[] key = {0, 1, 2, (byte) 0xff};
    String url = "/secrets/v1/secret/default/keystore";
    assertThat(send("PUT", url, "application/octet-stream", key, null).statusCode()).isEqualTo(201);
    assertThat(send("GET", url, null, null, "application/octet-stream").body()).isEqualTo(key);
    HttpResponse<byte[]> asJson = json("GET", url, null);
    assertThat(asJson.statusCode()).isEqualTo(406);
    assertThat(text(asJson)).contains("Accept: application/octet-stream");
  }

  @Test
  void badInputIsRefusedWithWhatIsWrong() throws Exception {
    HttpResponse<byte[]> badPath = json("PUT", "/secrets/v1/secret/default/db%20x", "{\"value\": \"v\"}");
    assertThat(badPath.statusCode()).isEqualTo(400);
    assertThat(text(badPath)).contains("not a secret path");
    HttpResponse<byte[]> noValue = json("PUT", "/secrets/v1/secret/default/a", "{\"val\": \"v\"}");
    assertThat(noValue.statusCode()).isEqualTo(400);
    assertThat(text(noValue)).contains("value: must be a string");
    HttpResponse<byte[]> otherStore = json("GET", "/secrets/v1/secret/vault/a", null);
    assertThat(otherStore.statusCode()).isEqualTo(404);
    assertThat(text(otherStore)).contains("the only one is 'default'");
    HttpResponse<byte[]> tooBig = send("PUT", "/secrets/v1/secret/default/big", "application/octet-stream",
        new byte[SecretStore.MAX_VALUE_BYTES + 1], null);
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(secrets.list("")).isEmpty();
  }
}

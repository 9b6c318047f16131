package dev.corral.packages.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.packages.CosmosException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link ServicesClient} over the Marathon API v2 at {@code base} (the master's own HTTP port, known only once
 * the server listens).
 */
public final class HttpServicesClient implements ServicesClient {
  private static final ObjectMapper JSON = Json.mapper();
  private final Supplier<URI> base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String authorization;

  public HttpServicesClient(Supplier<URI> base) {
    this(base, null);
  }

  /** @param authorization the {@code Authorization} header for the master's own calls; null without authentication */
  public HttpServicesClient(Supplier<URI> base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  @Override
  public boolean exists(String id) {
    return send("GET", "/v2/apps" + id, null).statusCode() == 200 || send("GET", "/v2/groups" + id, null).statusCode() == 200;
  }

  @Override
  public String createApp(ObjectNode app) {
    return deploymentOf(expect(send("POST", "/v2/apps", app), "create app " + app.path("id").asText()));
  }

  @Override
  public String createGroup(ObjectNode group) {
    return deploymentOf(expect(send("POST", "/v2/groups", group), "create group " + group.path("id").asText()));
  }

  @Override
  public List<JsonNode> appsLabelled(String label) {
    JsonNode body = expect(send("GET", "/v2/apps?label=" + URLEncoder.encode(label, StandardCharsets.UTF_8), null),
        "list apps");
    List<JsonNode> out = new ArrayList<>();
    body.path("apps").forEach(out::add);
    return out;
  }

  @Override
  public String remove(String id, boolean group) {
    return deploymentOf(expect(send("DELETE", (group ? "/v2/groups" : "/v2/apps") + id + "?force=true", null),
        "remove " + id));
  }

  private static String deploymentOf(JsonNode body) {
    if (body.has("deploymentId")) {
      return body.get("deploymentId").asText();
    }
    JsonNode deployments = body.path("deployments");
    return deployments.isArray() && !deployments.isEmpty() ? deployments.get(0).path("id").asText() : null;
  }

  private JsonNode expect(HttpResponse<byte[]> response, String what) {
    JsonNode body;
    try {
      body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CosmosException(500, "MarathonBadResponse", "the service scheduler's answer to " + what
          + " is not JSON (HTTP " + response.statusCode() + ")");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return body;
    }
    StringBuilder message = new StringBuilder("the service scheduler refused to " + what + ": "
        + body.path("message").asText("HTTP " + status));
    body.path("details").forEach(d -> message.append("; ").append(d.path("path").asText()).append(": ")
        .append(String.join(", ", JSON.convertValue(d.path("errors"), String[].class))));
    ObjectNode data = JSON.createObjectNode();
    data.set("marathonResponse", body);
    throw new CosmosException(status == 409 ? 409 : status >= 500 ? 500 : 400,
        status == 409 ? "MarathonAppConflict" : "MarathonBadResponse", message.toString(), data);
  }

  private HttpResponse<byte[]> send(String method, String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.get().resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      if (body != null) {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CosmosException(503, "ServiceUnavailable", "the service scheduler is not reachable at " + base.get() + ": "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CosmosException(503, "ServiceUnavailable", "interrupted while calling the service scheduler");
    }
  }
}

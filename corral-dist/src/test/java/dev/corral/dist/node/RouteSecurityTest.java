package dev.corral.dist.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.corral.services.placement.GpuSchedulingBehavior;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP route of a master, as its router lists them, refuses a missing, expired, forged and wrongly
 * scoped token; only the routes named here are public or open to any logged-in caller. A new route is
 * therefore either covered by a permission (RouteRules) or fails this test until someone decides.
 */
class RouteSecurityTest {
  /** Reachable without a token. */
  private static final Set<String> PUBLIC = Set.of("GET /", "GET /ui", "GET /ui/<path>", "GET /ping",
      "POST /acs/api/v1/auth/login", "GET /acs/api/v1/auth/status",
      // discovery: hosts and ports of tasks, as DNS publishes them
      "GET /v1/discovery/services", "GET /v1/discovery/services/{name}", "GET /v1/discovery/vips");
  /** Any logged-in caller, no permission needed. */
  private static final Set<String> ANY_USER = Set.of("GET /v2/info", "GET /v2/leader",
      "POST /acs/api/v1/auth/logout", "GET /acs/api/v1/auth/whoami", "PATCH /acs/api/v1/users/{uid}");

  @TempDir
  static Path dir;
  static MasterNode master;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    master = new MasterNode(new MasterNode.Options(dir, null, "127.0.0.1", 0, 0, "127.0.0.1",
        GpuSchedulingBehavior.RESTRICTED, true)).start();
    String admin = master.issueToken(MasterNode.ADMIN, Duration.ofMinutes(10)).orElseThrow();
    HttpResponse<String> r = send("PUT", "/acs/api/v1/users/nobody", "token=" + admin,
        "{\"password\": \"nobody-password\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void everyRouteRefusesMissingExpiredForgedAndWronglyScopedTokens() throws Exception {
    List<String> routes = master.routes();
    assertThat(routes).contains("GET /v2/apps", "POST /package/install", "GET /system/v1/logs/tasks/{taskId}/{file}",
        "GET /acs/api/v1/users");
    String expired = "token=" + master.issueToken(MasterNode.ADMIN, Duration.ofSeconds(-1)).orElseThrow();
    String forged = "token=" + foreignToken(MasterNode.ADMIN);
    List<String> failures = new ArrayList<>();
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = concrete(route.substring(route.indexOf(' ') + 1));
      if (PUBLIC.contains(route)) {
        int status = send(method, path, null, "{}").statusCode();
        if (status == 401 || status == 403) {
          failures.add(route + ": public, but answered " + status);
        }
        continue;
      }
      expect(failures, route, method, path, null, 401);
      expect(failures, route, method, path, expired, 401);
      expect(failures, route, method, path, forged, 401);
      String nobody = "token=" + master.issueToken("nobody", Duration.ofMinutes(1)).orElseThrow();
      int scoped = send(method, path, nobody, "{}").statusCode();
      if (ANY_USER.contains(route) ? (scoped == 401 || scoped == 403) : scoped != 403) {
        failures.add(route + ": a user without permissions got " + scoped);
      }
    }
    assertThat(failures).isEmpty();
  }

  private static void expect(List<String> failures, String route, String method, String path, String auth,
      int status) throws Exception {
    HttpResponse<String> r = send(method, path, auth, "{}");
    if (r.statusCode() != status) {
      failures.add(route + " with " + (auth == null ? "no token" : auth.substring(0, 12) + "…") + ": " + r.statusCode());
    } else if (status == 401 && r.headers().firstValue("WWW-Authenticate").isEmpty()) {
      failures.add(route + ": 401 without WWW-Authenticate");
    }
  }

  @Test
  void anAppsTaskListIsPublicForDiscoveryButNotTheAppItself() throws Exception {
    assertThat(send("GET", "/v2/apps/some/app/tasks", null, "{}").statusCode()).isNotIn(401, 403);
    assertThat(send("GET", "/v2/apps/some/app", null, "{}").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v2/apps/some/app/versions", null, "{}").statusCode()).isEqualTo(401);
    assertThat(send("DELETE", "/v2/apps/some/app/tasks", null, "{}").statusCode()).isEqualTo(401);
  }

  /** A route pattern with its parameters filled in. */
  private static String concrete(String pattern) {
    return pattern.replaceAll("\\{[^}]+}", "p1").replaceAll("<[^>]+>", "some/app");
  }

  private static String foreignToken(String uid) throws Exception {
    RSAKey other = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer("corral").subject(uid).claim("uid", uid).jwtID("x")
            .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
    jwt.sign(new RSASSASigner(other));
    return jwt.serialize();
  }

  private static HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + path))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

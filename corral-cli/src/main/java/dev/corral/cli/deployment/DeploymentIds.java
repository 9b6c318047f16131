package dev.corral.cli.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiResponse;
import java.util.Optional;

/** Finds the deployment a write started, wherever this Marathon version put it. */
public final class DeploymentIds {
  static final String HEADER = "Marathon-Deployment-Id";
  // The pods API documents this spelling for DELETE; accept both.
  static final String X_HEADER = "X-Marathon-Deployment-Id";

  private DeploymentIds() {}

  /**
   * The {@code Marathon-Deployment-Id} header first (set on every write since Marathon 1.4); then the body's
   * {@code deploymentId} (PUT and DELETE answers); then the first of {@code deployments} (the created app).
   */
  public static Optional<String> of(ApiResponse response, JsonNode body) {
    for (String name : new String[] {HEADER, X_HEADER}) {
      Optional<String> header = response.header(name);
      if (header.isPresent() && !header.get().isBlank()) {
        return header;
      }
    }
    if (body.hasNonNull("deploymentId")) {
      return Optional.of(body.path("deploymentId").asText());
    }
    JsonNode first = body.path("deployments").path(0).path("id");
    return first.isValueNode() ? Optional.of(first.asText()) : Optional.empty();
  }

  /** {@code " (deployment ID)"} or nothing, to append to a confirmation line. */
  public static String suffix(ApiResponse response, JsonNode body) {
    return of(response, body).map(id -> " (deployment " + id + ")").orElse("");
  }
}

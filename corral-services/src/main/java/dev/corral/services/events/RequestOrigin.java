package dev.corral.services.events;

import java.util.Objects;

/**
 * Where an API write came from, for the events that report it ({@code api_post_event}, pod events).
 *
 * @param clientIp the client's address as the server saw it (Marathon's {@code clientIp})
 * @param uri the request's path, e.g. {@code /v2/apps/prod/web}
 */
public record RequestOrigin(String clientIp, String uri) {
  public RequestOrigin {
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(uri, "uri");
  }
}

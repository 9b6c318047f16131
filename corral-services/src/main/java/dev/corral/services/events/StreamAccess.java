package dev.corral.services.events;

import io.javalin.http.Context;
import java.util.function.Predicate;

/**
 * Which apps and pods the caller of {@code GET /v2/events} may see events of: the hook through which the
 * gateway's authorisation narrows a stream, without this module knowing about accounts or permissions.
 * {@link EventScope} decides, per event, which ids it is about.
 */
@FunctionalInterface
public interface StreamAccess {
  /** Everyone sees every event: a cluster without authentication. */
  StreamAccess ALL = ctx -> null;

  /**
   * Called once per stream, on the request's thread, before the stream opens; may throw to refuse it (the
   * exception is answered as any handler's would be).
   *
   * @return a test of the app and pod ids (such as {@code /prod/web}) whose events the caller may see, or
   *     null when it may see them all; the test is called on the stream's writer threads, one call at a time,
   *     and should be quick (the endpoint caches its answers per stream)
   */
  Predicate<String> readable(Context ctx);
}

package dev.corral.services.engine;

import dev.corral.services.app.AppIds;
import dev.corral.services.instance.Instance;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launch queue's one write, {@code DELETE /v2/queue/{appId}/delay}. Backoffs are soft state, so nothing is
 * committed. Runs on the event loop.
 */
public final class QueueCommands {
  private static final Logger log = LoggerFactory.getLogger(QueueCommands.class);

  private final Engine engine;

  QueueCommands(Engine engine) {
    this.engine = engine;
  }

  /**
   * Ends the app's launch backoff (its failure count included) and asks for offers at once, so that its
   * waiting instances launch on the next fitting offer. As in Marathon, only an app with instances in the
   * queue has a delay to reset; any other id is not found.
   */
  public CompletableFuture<Void> resetDelay(String rawId) {
    engine.loop.assertInLoop();
    String id = canonicalOrNull(rawId);
    if (id == null || engine.model.app(id) == null || !hasWaiting(id)) {
      String shown = id != null ? id : rawId.startsWith("/") ? rawId : "/" + rawId;
      throw CommandException.notFound("Application " + shown + " not found in tasks queue.");
    }
    if (engine.model.backoff(id).failures() > 0) {
      log.info("app {}: launch delay reset through the API", id);
    }
    engine.model.clearBackoff(id);
    engine.loop.cancel("backoff:" + id);
    // Offers declined while the app was delayed may be filtered at the master for a while: revive lifts that.
    engine.reviveIfWaiting();
    return CompletableFuture.completedFuture(null);
  }

  private boolean hasWaiting(String appId) {
    for (Instance i : engine.model.instancesOf(appId)) {
      if (i.isWaiting()) {
        return true;
      }
    }
    return false;
  }

  private static String canonicalOrNull(String raw) {
    try {
      return AppIds.canonical(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

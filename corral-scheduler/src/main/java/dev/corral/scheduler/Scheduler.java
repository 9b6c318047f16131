package dev.corral.scheduler;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskStatus;
import java.util.List;

/**
 * What a framework implements to receive the master's events. Callbacks arrive one at a time, in order, on
 * the driver's thread; a framework with its own event loop re-posts them there and returns at once.
 */
public interface Scheduler {

  /** The subscription is live; {@code frameworkId} must be persisted to re-subscribe after a restart. */
  void subscribed(String frameworkId);

  void offers(List<Offer> offers);

  void rescinded(String offerId);

  /** A task status; acknowledge it (when its uuid is not empty) once its effect is persisted. */
  void update(TaskStatus status);

  void failure(String agentId, String message);

  /**
   * An operator drains the agent ({@code draining}), or ended its drain. Frameworks that can move their work
   * elsewhere should; what is still there at {@code deadlineMillis} (epoch ms, 0 for none) is killed by the
   * master. The default ignores it.
   */
  default void draining(String agentId, boolean draining, long deadlineMillis) {}

  /** The subscription broke; the driver re-subscribes by itself and calls {@link #subscribed} again. */
  void disconnected(String reason);
}

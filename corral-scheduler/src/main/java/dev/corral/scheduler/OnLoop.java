package dev.corral.scheduler;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.EventLoop;
import java.util.List;

/**
 * The driver's callbacks re-posted to a framework's event loop, each returning at once: the loop's thread owns
 * the framework's state, never the driver's (gRPC) threads.
 *
 * <p>Offers, and the callbacks they must keep their order with (subscribed, rescinded, disconnected), run
 * ahead of queued task updates ({@link EventLoop#executeUrgent}): an offer is held by the master until it is
 * answered, and after a failover a hundred thousand updates of re-registering agents queue at once. Nothing
 * an offer round decides depends on an update still queued: the updates that free or need resources are
 * applied when their turn comes, and the next offers reflect them. Work that must come before every callback
 * (a scheduler's recovery from its store) is therefore queued as urgent work too.
 */
public final class OnLoop implements Scheduler {
  private final EventLoop loop;
  private final Scheduler target;

  public OnLoop(EventLoop loop, Scheduler target) {
    this.loop = loop;
    this.target = target;
  }

  @Override
  public void subscribed(String frameworkId) {
    loop.executeUrgent(() -> target.subscribed(frameworkId));
  }

  @Override
  public void offers(List<Offer> offers) {
    List<Offer> copy = List.copyOf(offers);
    loop.executeUrgent(() -> target.offers(copy));
  }

  @Override
  public void rescinded(String offerId) {
    loop.executeUrgent(() -> target.rescinded(offerId));
  }

  @Override
  public void update(TaskStatus status) {
    loop.execute(() -> target.update(status));
  }

  @Override
  public void failure(String agentId, String message) {
    loop.execute(() -> target.failure(agentId, message));
  }

  @Override
  public void draining(String agentId, boolean draining, long deadlineMillis) {
    loop.execute(() -> target.draining(agentId, draining, deadlineMillis));
  }

  @Override
  public void disconnected(String reason) {
    loop.executeUrgent(() -> target.disconnected(reason));
  }
}

package dev.corral.scheduler;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.EventLoop;
import java.util.List;

/**
 * The driver's callbacks re-posted to a framework's event loop, each returning at once: the loop's thread owns
 * the framework's state, never the driver's (gRPC) threads.
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
    loop.execute(() -> target.subscribed(frameworkId));
  }

  @Override
  public void offers(List<Offer> offers) {
    List<Offer> copy = List.copyOf(offers);
    loop.execute(() -> target.offers(copy));
  }

  @Override
  public void rescinded(String offerId) {
    loop.execute(() -> target.rescinded(offerId));
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
    loop.execute(() -> target.disconnected(reason));
  }
}

package dev.corral.master;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.SchedulerHeartbeat;
import dev.corral.api.v1.Subscribed;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Framework subscriptions ({@code SchedulerChannel.Subscribe}). A framework without id gets a new one; a
 * new or changed FrameworkInfo is persisted before SUBSCRIBED is sent. A newer subscription of the same
 * framework replaces the older stream (closed with ABORTED) and takes back the offers made to it. When a
 * subscription ends the framework is DISCONNECTED: its offers return to the pool, its tasks keep running.
 * Each subscription gets a heartbeat every {@code schedulerHeartbeatInterval}. Loop thread only.
 */
final class Subscriptions {
  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

  private final MasterState state;
  private final GroupCommit commits;
  private final OfferBook offers;
  private final Allocator allocator;

  Subscriptions(MasterState state, GroupCommit commits, OfferBook offers, Allocator allocator) {
    this.state = state;
    this.commits = commits;
    this.offers = offers;
    this.allocator = allocator;
  }

  void subscribe(Link<SchedulerEvent> link, FrameworkInfo requested) {
    state.loop.assertInLoop();
    String id = requested.getFrameworkId().isEmpty() ? state.newFrameworkId() : requested.getFrameworkId();
    FrameworkInfo info = requested.toBuilder().setFrameworkId(id).build();
    Framework framework = state.frameworks.get(id);
    // A write of a subscription this one supersedes may still land; this one's write must land after it.
    boolean writeInFlight = true;
    if (framework == null) {
      framework = new Framework(id, FrameworkState.SUBSCRIBING, info);
      state.frameworks.put(id, framework);
    } else {
      writeInFlight = framework.state == FrameworkState.SUBSCRIBING;
      takeOver(framework, link);
    }
    framework.link = link;
    state.frameworkLinks.put(link, id);
    long generation = ++framework.generation;
    if (framework.admitted && framework.info.equals(info) && !writeInFlight) {
      subscribed(id, generation, info, null);
    } else {
      commits.persist(Registry.putFramework(info), error -> subscribed(id, generation, info, error));
    }
  }

  private void takeOver(Framework framework, Link<SchedulerEvent> link) {
    if (framework.link != null && framework.link != link) {
      state.frameworkLinks.remove(framework.link);
      framework.link.close(Status.ABORTED.withDescription("replaced by a newer subscription of framework "
          + framework.id));
    }
    if (framework.state == FrameworkState.SUBSCRIBING) {
      return;
    }
    if (framework.state == FrameworkState.CONNECTED) {
      endSubscription(framework);
    }
    framework.moveTo(FrameworkState.SUBSCRIBING);
  }

  private void subscribed(String id, long generation, FrameworkInfo info, Throwable error) {
    Framework framework = state.frameworks.get(id);
    if (framework == null || framework.generation != generation) {
      return; // a newer subscription took over
    }
    if (error != null) {
      String reason = "could not persist framework " + id + ": " + error.getMessage();
      log.warn(reason);
      if (framework.link != null) {
        state.frameworkLinks.remove(framework.link);
        framework.link.close(Status.UNAVAILABLE.withDescription(reason));
        framework.link = null;
      }
      if (framework.admitted || !framework.tasks.isEmpty()) {
        framework.moveTo(FrameworkState.DISCONNECTED); // known (stored, or agents run its tasks): keep it
      } else {
        framework.moveTo(FrameworkState.REMOVED);
        state.frameworks.remove(id);
      }
      return;
    }
    framework.admitted = true;
    framework.info = info;
    if (framework.link == null) {
      framework.moveTo(FrameworkState.DISCONNECTED); // the stream ended while persisting
      return;
    }
    framework.moveTo(FrameworkState.CONNECTED);
    // A new subscriber does not remember what an earlier one declined or suppressed.
    framework.suppressed = false;
    clearFilters(framework);
    log.info("framework {} ({}, role {}) subscribed", id, info.getName(), framework.role());
    framework.send(SchedulerEvent.newBuilder().setSubscribed(Subscribed.newBuilder()
        .setFrameworkId(id)
        .setHeartbeatIntervalSeconds(state.config.schedulerHeartbeatInterval().toMillis() / 1000.0)
        .setMasterId(state.config.masterId())).build());
    scheduleHeartbeat(framework);
    for (Agent agent : state.agents.values()) {
      if (agent.mode == MaintenanceMode.DRAINING) {
        framework.send(Maintenance.drainEvent(agent));
      }
    }
    allocator.allChanged();
  }

  void clearFilters(Framework framework) {
    for (String agentId : framework.filters.keySet()) {
      state.loop.cancel(OfferCalls.filterTag(framework.id, agentId));
    }
    framework.filters.clear();
  }

  private static String heartbeatTag(String frameworkId) {
    return "framework-heartbeat:" + frameworkId;
  }

  private void scheduleHeartbeat(Framework framework) {
    String id = framework.id;
    long generation = framework.generation;
    state.loop.schedule(heartbeatTag(id), state.config.schedulerHeartbeatInterval(), () -> {
      Framework f = state.frameworks.get(id);
      if (!state.closed && f != null && f.generation == generation && f.isConnected()) {
        f.send(SchedulerEvent.newBuilder().setHeartbeat(
            SchedulerHeartbeat.newBuilder().setSentAtMillis(state.now().toEpochMilli())).build());
        scheduleHeartbeat(f);
      }
    });
  }

  /** The framework cancelled its subscription, or the transport broke. */
  void streamEnded(Link<SchedulerEvent> link) {
    state.loop.assertInLoop();
    String id = state.frameworkLinks.remove(link);
    if (id == null) {
      return;
    }
    Framework framework = state.frameworks.get(id);
    if (framework == null || framework.link != link) {
      return;
    }
    framework.link = null;
    if (framework.state == FrameworkState.CONNECTED) {
      log.info("framework {} ({}) disconnected", id, framework.name());
      endSubscription(framework);
      framework.moveTo(FrameworkState.DISCONNECTED);
    }
  }

  /** What ends with a subscription: heartbeats, and the offers made to it. */
  private void endSubscription(Framework framework) {
    state.loop.cancel(heartbeatTag(framework.id));
    for (String agentId : offers.recoverAll(framework)) {
      allocator.agentChanged(agentId);
    }
  }

  /** The framework of a call, which must hold a live subscription. */
  Framework requireSubscribed(String frameworkId) {
    Framework framework = frameworkId.isEmpty() ? null : state.frameworks.get(frameworkId);
    if (framework == null || !framework.isConnected()) {
      throw failedPrecondition(frameworkId.isEmpty()
          ? "the call names no framework_id; subscribe first and use the id from SUBSCRIBED"
          : "framework " + frameworkId + " has no live subscription; subscribe (again) before calling");
    }
    return framework;
  }

  static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  /** Cancels every framework timer; on close. */
  void cancelTimers() {
    for (Framework framework : state.frameworks.values()) {
      state.loop.cancel(heartbeatTag(framework.id));
      clearFilters(framework);
    }
  }
}

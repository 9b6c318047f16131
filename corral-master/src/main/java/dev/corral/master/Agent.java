package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.Unavailability;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The master's entry for one agent. Mutable, loop thread only.
 *
 * <p>Hard state: {@link #info} once {@link #admitted} (it is in the store). Everything else is soft state,
 * rebuilt when the agent re-registers: the stream, the heartbeat clock, the tasks and the resources they
 * use, the outstanding offers. {@link #used} and {@link #offered} are kept incrementally so that the
 * allocator never sums tasks.
 */
final class Agent {
  final String id;
  AgentState state;
  /** Whether its info is in the store (it may then be offered once connected). */
  boolean admitted;
  /** The last registered info; for RECOVERED agents, the one read from the store. */
  AgentInfo info;
  /** The current stream, or null. */
  Link<MasterMessage> link;
  /** Bumped by every registration attempt; a store completion for an older attempt is stale. */
  long generation;
  /** Where a failed registration returns to. */
  AgentState stateBeforeRegistering;

  ResourceSet total = ResourceSet.EMPTY;
  ResourceSet used = ResourceSet.EMPTY;
  ResourceSet offered = ResourceSet.EMPTY;
  /** What this agent currently adds to the cluster total (DRF's denominator). */
  Scalars counted = Scalars.ZERO;
  Instant lastSeen = Instant.EPOCH;
  /** When it was last lost (disconnected, or not back by the re-register deadline); null while connected. */
  Instant goneSince;

  /** Hard state (see {@link Maintenance}): what the operator wants of it. */
  MaintenanceMode mode = MaintenanceMode.ACTIVE;
  /** While DRAINING: when the master kills what is left (epoch ms; 0 for never). */
  long drainDeadlineMillis;
  /** A maintenance change of this agent is being persisted; another waits for it. */
  boolean modeWriteInFlight;

  final Set<TaskKey> tasks = new LinkedHashSet<>();
  /** Outstanding offers of its resources: a few at most (one per framework served), so a list. */
  final List<Offer> offers = new ArrayList<>(2);

  /**
   * The last offer built for this agent, and what it was built from: the next offer of the same resources
   * under the same info and window shares its repeated fields instead of copying them again.
   */
  private dev.corral.api.v1.Offer template;
  private AgentInfo templateInfo;
  private ResourceSet templateResources;
  private Unavailability templateWindow;

  Agent(String id, AgentState state, AgentInfo info) {
    this.id = id;
    this.state = state;
    this.info = info;
  }

  void moveTo(AgentState to) {
    state = AgentState.TRANSITIONS.check(state, to);
  }

  boolean hasGpus() {
    return total.scalar("gpus") > 0;
  }

  /** Free and not offered: total − used − offered, never failing when a re-registered agent is over-committed. */
  ResourceSet available() {
    return Resources.clampedMinus(Resources.clampedMinus(total, used), offered);
  }

  String hostname() {
    return info.getHostname();
  }

  /** The offer message of {@code resources} of this agent; {@code window} is its maintenance window or null. */
  dev.corral.api.v1.Offer offer(String offerId, String frameworkId, ResourceSet resources, Unavailability window) {
    if (template == null || templateInfo != info || !resources.equals(templateResources)
        || !Objects.equals(templateWindow, window)) {
      dev.corral.api.v1.Offer.Builder built = dev.corral.api.v1.Offer.newBuilder()
          .setAgentId(id).setHostname(hostname())
          .addAllResources(resources.toProto())
          .addAllAttributes(info.getAttributesList());
      if (window != null) {
        built.setUnavailability(window);
      }
      template = built.build();
      templateInfo = info;
      templateResources = resources;
      templateWindow = window;
    }
    return template.toBuilder().setOfferId(offerId).setFrameworkId(frameworkId).build();
  }
}

package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.MasterMessage;
import java.time.Instant;
import java.util.LinkedHashSet;
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
  final Set<String> offers = new LinkedHashSet<>();

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
}

package dev.corral.master;

import com.google.protobuf.ByteString;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.PersistentVolume;
import dev.corral.api.v1.Unavailability;
import java.time.Instant;
import java.util.Arrays;
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
  /**
   * The numbers of the outstanding offers of its resources ({@link Offer#seq}): a few at most, one per framework
   * served. Numbers rather than the offers themselves: a reference from every (long-lived) agent to its new
   * offer made each young collection after a pass scan a card of the heap per agent (14 of its 20 ms with
   * 50,000 agents).
   */
  private long[] offerSeqs = new long[2];
  private int offerCount;

  /**
   * The repeated and message fields of the last offer built for this agent, and what they were built from:
   * the next offer of the same resources under the same info and window shares them instead of copying them
   * again. The template has no strings: copying set strings would read each one (a cache miss per string when
   * a pass goes over tens of thousands of agents), and ours are set from fields at hand.
   */
  private dev.corral.api.v1.Offer template;
  /** The id and hostname in UTF-8, as offer messages carry them: serializing bytes is a copy, not an encoding. */
  private final ByteString idBytes;
  private ByteString templateHostname;
  private AgentInfo templateInfo;
  private ResourceSet templateResources;
  private Unavailability templateWindow;
  private List<PersistentVolume> templateVolumes = List.of();

  Agent(String id, AgentState state, AgentInfo info) {
    this.id = id;
    this.idBytes = ByteString.copyFromUtf8(id);
    this.state = state;
    this.info = info;
  }

  void moveTo(AgentState to) {
    state = AgentState.TRANSITIONS.check(state, to);
  }

  void addOffer(long seq) {
    if (offerCount == offerSeqs.length) {
      offerSeqs = Arrays.copyOf(offerSeqs, offerCount * 2);
    }
    offerSeqs[offerCount++] = seq;
  }

  void removeOffer(long seq) {
    for (int i = 0; i < offerCount; i++) {
      if (offerSeqs[i] == seq) {
        offerSeqs[i] = offerSeqs[--offerCount];
        return;
      }
    }
  }

  boolean hasOffers() {
    return offerCount > 0;
  }

  /** A copy: callers remove offers while going through them. */
  long[] offerSeqs() {
    return Arrays.copyOf(offerSeqs, offerCount);
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

  /**
   * What the offer message of {@code resources} of this agent is made of ({@code window}: its maintenance
   * window or null); immutable, so another thread may build it.
   */
  OfferMessage offerMessage(String offerId, ByteString frameworkId, ResourceSet resources, Unavailability window,
      List<PersistentVolume> volumes) {
    if (template == null || templateInfo != info || !resources.equals(templateResources)
        || !Objects.equals(templateWindow, window) || !volumes.equals(templateVolumes)) {
      dev.corral.api.v1.Offer.Builder built = dev.corral.api.v1.Offer.newBuilder()
          .addAllResources(resources.toProto())
          .addAllAttributes(info.getAttributesList())
          .addAllVolumes(volumes);
      if (window != null) {
        built.setUnavailability(window);
      }
      template = built.build();
      templateInfo = info;
      templateHostname = ByteString.copyFromUtf8(hostname());
      templateResources = resources;
      templateWindow = window;
      templateVolumes = volumes;
    }
    return new OfferMessage(template, offerId, frameworkId, idBytes, templateHostname);
  }

  /** An offer message to build: the agent's template and the strings it lacks. */
  record OfferMessage(dev.corral.api.v1.Offer template, String offerId, ByteString frameworkId, ByteString agentId,
      ByteString hostname) {
    dev.corral.api.v1.Offer build() {
      return template.toBuilder().setOfferId(offerId).setFrameworkIdBytes(frameworkId).setAgentIdBytes(agentId)
          .setHostnameBytes(hostname).build();
    }
  }
}

package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Dominant Resource Fairness over the agents of one allocation pass, with role weights and quota
 * ({@link RolePolicy}): a pure function of its inputs ({@link #plan} over a list of agents, or a {@link Pass}
 * served agent by agent), so the allocator's policy can be read and tested apart from its plumbing.
 *
 * <p>For each agent, frameworks are taken in order: roles below their quota guarantee first; then by dominant
 * share (allocated + offered, over the cluster total) divided by the role's weight; ties by name, then id. The
 * first eligible one gets, in one offer, everything of the agent's available resources its role may use
 * (unreserved plus reserved for its role), cut to its role's quota limit. What is left (resources reserved
 * for other roles, or beyond a limit) goes on down the list, so reservations reach their role. Eligible
 * means: not filtered on this agent for what would be offered, and GPU-aware if the agent has GPUs.
 * Suppressed and disconnected frameworks are not passed in at all.
 *
 * <p>Cost: the order is a sorted set kept up to date as shares grow, so a pass is
 * O(agents × (frameworks looked at per agent) + grants × log frameworks); usually the first framework
 * looked at takes the whole agent.
 */
final class DrfPlanner {
  private static final String[] KINDS = {"cpus", "mem", "disk", "gpus"};

  /** An agent with something to offer. */
  record Candidate(String agentId, ResourceSet available, boolean hasGpus) {}

  /**
   * A framework that wants offers. {@code filters} is a read-only view of its decline filters by agent id,
   * read during the call only.
   */
  record Contender(String frameworkId, String name, String role, boolean gpuAware, Scalars allocation,
      Map<String, Filter> filters) {}

  /** One offer to make of the agent being served; {@code amount} is the scalars of {@code resources}. */
  record Grant(String frameworkId, ResourceSet resources, Scalars amount) {}

  /** A framework's place in the order; its key fields change only while it is out of the set. */
  private static final class Entry {
    final Contender contender;
    final RoleTally role;
    Scalars allocation;
    boolean belowGuarantee;
    double key;
    /** Place by name, then id: the tie-break, ranked once so that comparing entries reads no strings. */
    int rank;

    Entry(Contender contender, RoleTally role) {
      this.contender = contender;
      this.role = role;
      this.allocation = contender.allocation();
    }
  }

  /**
   * One role during a pass: its quota and weight, looked up once, and what it holds, updated as it is
   * offered more; shared by the role's frameworks so that the per-agent loop does no map lookups.
   */
  private static final class RoleTally {
    final double weight;
    /** Null when the role has none. */
    final Scalars guarantee;
    final Scalars limit;
    final List<Entry> entries = new ArrayList<>();
    Scalars held;

    RoleTally(String role, RolePolicy roles) {
      weight = roles.weight(role);
      guarantee = roles.guarantees().get(role);
      limit = roles.limits().get(role);
      held = roles.held().getOrDefault(role, Scalars.ZERO);
    }
  }

  private DrfPlanner() {}

  static List<Grant> plan(List<Candidate> agents, List<Contender> frameworks, Scalars clusterTotal, Instant now) {
    return plan(agents, frameworks, clusterTotal, now, RolePolicy.NONE);
  }

  static List<Grant> plan(List<Candidate> agents, List<Contender> frameworks, Scalars clusterTotal, Instant now,
      RolePolicy roles) {
    Pass pass = start(frameworks, clusterTotal, now, roles);
    List<Grant> grants = new ArrayList<>();
    for (Candidate agent : agents) {
      grants.addAll(pass.serve(agent.agentId(), agent.available(), agent.hasGpus()));
    }
    return grants;
  }

  /**
   * A pass served agent by agent, so that the allocator can make an agent's offers while that agent's objects
   * are still in cache (with tens of thousands of agents, reaching each agent's objects again in a second
   * loop cost more than the decision).
   */
  static Pass start(List<Contender> frameworks, Scalars clusterTotal, Instant now, RolePolicy roles) {
    return new Pass(frameworks, clusterTotal, now, roles);
  }

  /** The frameworks' order during one pass, kept up to date as their shares grow. */
  static final class Pass {
    private final Scalars clusterTotal;
    private final Instant now;
    private final TreeSet<Entry> order = new TreeSet<>(DrfPlanner::compare);
    private final List<Grant> granted = new ArrayList<>();
    private final List<Entry> served = new ArrayList<>();

    private Pass(List<Contender> frameworks, Scalars clusterTotal, Instant now, RolePolicy roles) {
      this.clusterTotal = clusterTotal;
      this.now = now;
      Map<String, RoleTally> tallies = new HashMap<>();
      List<Entry> entries = new ArrayList<>(frameworks.size());
      for (Contender f : frameworks) {
        RoleTally tally = tallies.computeIfAbsent(f.role(), role -> new RoleTally(role, roles));
        Entry e = new Entry(f, tally);
        tally.entries.add(e);
        rekey(e, clusterTotal);
        entries.add(e);
      }
      entries.sort(BY_NAME_THEN_ID);
      for (int rank = 0; rank < entries.size(); rank++) {
        entries.get(rank).rank = rank;
        order.add(entries.get(rank));
      }
    }

    /** The offers to make of the next agent's {@code available} resources, in order; reused by the next call. */
    List<Grant> serve(String agentId, ResourceSet available, boolean hasGpus) {
      granted.clear();
      ResourceSet remaining = available;
      if (remaining.isEmpty()) {
        return granted;
      }
      served.clear();
      for (Entry e : order) {
        Contender f = e.contender;
        if (hasGpus && !f.gpuAware()) {
          continue;
        }
        ResourceSet offer = remaining.allocatableTo(f.role());
        if (e.role.limit != null) {
          offer = withinLimit(offer, e.role.limit, e.role.held);
        }
        if (offer.isEmpty()) {
          continue;
        }
        Filter filter = f.filters().get(agentId);
        if (filter != null && filter.hides(offer, now)) {
          continue;
        }
        Scalars amount = Scalars.of(offer);
        granted.add(new Grant(f.frameworkId(), offer, amount));
        e.allocation = e.allocation.plus(amount);
        e.role.held = e.role.held.plus(amount);
        served.add(e);
        remaining = remaining.minus(offer);
        if (remaining.isEmpty()) {
          break;
        }
      }
      // Shares grew only for the frameworks served here; a role crossing its guarantee moves all of its own.
      for (Entry e : served) {
        boolean wasBelow = e.belowGuarantee;
        order.remove(e);
        rekey(e, clusterTotal);
        order.add(e);
        if (wasBelow != e.belowGuarantee) {
          for (Entry sibling : e.role.entries) {
            if (sibling != e && order.remove(sibling)) {
              rekey(sibling, clusterTotal);
              order.add(sibling);
            }
          }
        }
      }
      return granted;
    }
  }

  private static int compare(Entry a, Entry b) {
    if (a.belowGuarantee != b.belowGuarantee) {
      return a.belowGuarantee ? -1 : 1;
    }
    int byKey = Double.compare(a.key, b.key);
    return byKey != 0 ? byKey : Integer.compare(a.rank, b.rank);
  }

  private static final Comparator<Entry> BY_NAME_THEN_ID =
      Comparator.comparing((Entry e) -> e.contender.name()).thenComparing(e -> e.contender.frameworkId());

  private static void rekey(Entry e, Scalars total) {
    e.key = e.allocation.dominantShare(total) / e.role.weight;
    e.belowGuarantee = e.role.guarantee != null && below(e.role.held, e.role.guarantee);
  }

  private static boolean below(Scalars have, Scalars want) {
    return have.cpus() < want.cpus() || have.mem() < want.mem() || have.disk() < want.disk()
        || have.gpus() < want.gpus();
  }

  /**
   * The offer cut so that the role stays within {@code limit} (NaN kinds are unlimited). Empty when no cpus or
   * memory would be left: an offer of ports or disk alone launches nothing.
   */
  static ResourceSet withinLimit(ResourceSet offer, Scalars limit, Scalars held) {
    if (limit == null || offer.isEmpty()) {
      return offer;
    }
    double[] headroom = {
        room(limit.cpus(), held.cpus()), room(limit.mem(), held.mem()), room(limit.disk(), held.disk()),
        room(limit.gpus(), held.gpus())};
    boolean cut = false;
    for (int k = 0; k < KINDS.length; k++) {
      cut |= offer.scalar(KINDS[k]) > headroom[k];
    }
    if (!cut) {
      return offer;
    }
    ResourceSet.Builder out = ResourceSet.builder();
    for (Resource r : offer.toProto()) {
      int k = kind(r.getName());
      if (r.getRangesCount() > 0) {
        out.ranges(r.getName(), r.getRole(), dev.corral.api.Ranges.fromProto(r.getRangesList()));
      } else if (k < 0) {
        out.scalar(r.getName(), r.getRole(), r.getScalar());
      } else {
        double take = Math.min(r.getScalar(), headroom[k]);
        headroom[k] -= take;
        if (take > 1e-9) {
          out.scalar(r.getName(), r.getRole(), take);
        }
      }
    }
    ResourceSet result = out.build();
    return result.scalar("cpus") <= 1e-9 && result.scalar("mem") <= 1e-9 ? ResourceSet.EMPTY : result;
  }

  private static double room(double limit, double held) {
    return Double.isNaN(limit) ? Double.POSITIVE_INFINITY : Math.max(0, limit - held);
  }

  private static int kind(String name) {
    for (int k = 0; k < KINDS.length; k++) {
      if (KINDS[k].equals(name)) {
        return k;
      }
    }
    return -1;
  }

  static Contender contender(Framework f) {
    return new Contender(f.id, f.name(), f.role(), f.gpuAware(), f.allocated.plus(f.offered),
        Collections.unmodifiableMap(f.filters));
  }
}

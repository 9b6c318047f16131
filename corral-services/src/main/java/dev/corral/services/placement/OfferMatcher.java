package dev.corral.services.placement;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.Unavailability;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Constraint;
import dev.corral.services.app.LocalVolume;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.Reservation;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Fills one offer with as many waiting instances as fit. A pure function of the offer and the demands (it
 * does no I/O and touches no scheduler state); the demands carry the round's progress from offer to offer.
 *
 * <p>Cost is linear in the number of placements plus the number of apps: within one offer, once an app's next
 * instance does not fit, none of its later instances can (resources only shrink and constraint counts only
 * grow), so the matcher moves on to the next app.
 */
public final class OfferMatcher {
  private static final List<String> UNRESERVED_ONLY = List.of("*");

  private OfferMatcher() {}

  /** One app's waiting instances in launch order, consumed across the offers of one round. Round-confined. */
  public static final class Demand {
    private final AppDefinition app;
    /** Instances that may go anywhere (every instance of an app that is not resident). */
    private final List<Instance> waiting;
    /**
     * Where more of them come from once those are placed, given the ids taken so far; null when the demand
     * holds all of them. A demand of a big app takes its instances a few at a time, as offers take them.
     */
    private Function<Set<String>, List<Instance>> more;
    private final Set<String> taken = new HashSet<>();
    /** Resident instances that hold a reservation: each may only go to its agent. */
    private final Map<String, ArrayDeque<Instance>> reservedByAgent = new HashMap<>();
    private int reservedLeft;
    private final ConstraintTracker tracker;
    private final List<Integer> requiredPorts;
    /** Disk an instance's first placement needs: the sandbox's and its persistent volumes'. */
    private final double diskToReserve;
    private int next;

    public Demand(AppDefinition app, List<Instance> waiting, ConstraintTracker tracker) {
      this(app, waiting, tracker, null);
    }

    /** @param more more waiting instances that may go anywhere, none of {@code taken}; empty when there are none */
    public Demand(AppDefinition app, List<Instance> waiting, ConstraintTracker tracker,
        Function<Set<String>, List<Instance>> more) {
      this.app = app;
      this.more = more;
      List<Instance> free = new ArrayList<>(waiting.size());
      for (Instance i : waiting) {
        if (i.reservation() != null) {
          reservedByAgent.computeIfAbsent(i.reservation().agentId(), a -> new ArrayDeque<>()).add(i);
          reservedLeft++;
        } else {
          free.add(i);
          taken.add(i.id());
        }
      }
      this.waiting = free;
      this.tracker = tracker;
      this.requiredPorts = app.hostPortRequests();
      this.diskToReserve = app.disk() + app.localVolumes().stream().mapToDouble(LocalVolume::sizeMb).sum();
    }

    public AppDefinition app() {
      return app;
    }

    /** Whether every waiting instance of the app has found a place in this round. */
    public boolean exhausted() {
      return !hasFree() && reservedLeft == 0;
    }

    /** Whether an instance that may go anywhere is left, taking more when those held are placed. */
    private boolean hasFree() {
      if (next < waiting.size()) {
        return true;
      }
      if (more == null) {
        return false;
      }
      List<Instance> next = more.apply(taken);
      if (next.isEmpty()) {
        more = null;
        return false;
      }
      waiting.addAll(next);
      next.forEach(i -> taken.add(i.id()));
      return true;
    }

    /** The hosts of the reservations its waiting resident instances hold, for the queue's words. */
    String reservedHosts() {
      Set<String> hosts = new TreeSet<>();
      reservedByAgent.values().forEach(q -> q.forEach(i -> hosts.add(i.reservation().host())));
      return String.join(", ", hosts);
    }
  }

  /**
   * What one offer did for one app: how many instances it took, and why it took no more (null when the app
   * has no waiting instance left).
   *
   * @param offered the offer as the app saw it (what earlier apps left of it) when it took none of the app's
   *     instances; null when it took some
   */
  public record Outcome(String appId, int placed, Rejection rejection, Offer offered) {
    /** Whether the offer took none of the app's instances (Marathon's NoMatch). */
    public boolean unused() {
      return placed == 0 && rejection != null;
    }
  }

  public record Result(List<Placement> placements, List<Outcome> outcomes) {
    public Result {
      placements = List.copyOf(placements);
      outcomes = List.copyOf(outcomes);
    }
  }

  /**
   * Fills the offer with the demands' waiting instances, in demand order.
   *
   * @param now the time that decides whether the agent is in a maintenance window
   * @param gpus whether apps that need no GPUs may use an agent that offers some (an app's
   *     {@value GpuSchedulingBehavior#LABEL} label overrides it)
   */
  public static Result match(Offer offer, List<Demand> demands, Instant now, GpuSchedulingBehavior gpus) {
    return match(offer, demands, now, gpus, Residency.NONE);
  }

  /** As above, with the reservations of resident instances ({@code residency}) held back for them. */
  public static Result match(Offer offer, List<Demand> demands, Instant now, GpuSchedulingBehavior gpus,
      Residency residency) {
    OfferPool pool = new OfferPool(offer);
    Map<String, Double> idle = residency.idleOn(offer.getAgentId());
    if (!idle.isEmpty()) {
      pool.hold(residency.role(), idle);
    }
    Map<String, String> values = fieldValues(offer);
    boolean maintenance = inMaintenance(offer, now);
    List<Placement> placements = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (Demand d : demands) {
      if (d.exhausted()) {
        continue;
      }
      int placed = 0;
      Rejection pinnedRejection = null;
      ArrayDeque<Instance> pinned = d.reservedByAgent.get(offer.getAgentId());
      while (pinned != null && !pinned.isEmpty()) {
        Instance instance = pinned.peek();
        pinnedRejection = checkReserved(d, instance, pool, offer, maintenance);
        if (pinnedRejection != null) {
          break;
        }
        placements.add(placeReserved(d, instance, pool, offer));
        pinned.poll();
        d.reservedLeft--;
        placed++;
      }
      Rejection rejection = null;
      while (d.hasFree()) {
        rejection = check(d, pool, values, offer, maintenance, gpus);
        if (rejection != null) {
          break;
        }
        placements.add(place(d, d.waiting.get(d.next), pool, offer, values, residency.role()));
        d.tracker.record(values);
        d.next++;
        placed++;
      }
      if (rejection == null) {
        rejection = pinnedRejection;
      }
      if (placed == 0 && rejection == null && !d.exhausted()) {
        rejection = new Rejection(List.of(RejectReason.NO_CORRESPONDING_RESERVATION_FOUND), "the app's waiting"
            + " instances hold reservations on other agents (" + d.reservedHosts() + "), not on "
            + offer.getHostname());
      }
      Offer offered = placed == 0 && rejection != null ? pool.remaining() : null;
      outcomes.add(new Outcome(d.app.id(), placed, rejection, offered));
    }
    return new Result(placements, outcomes);
  }

  /**
   * Why a resident instance cannot relaunch on this offer of its agent, or null: the offer must hold its free
   * volumes and its reserved resources (held back for it), and the host ports it needs.
   */
  private static Rejection checkReserved(Demand d, Instance instance, OfferPool pool, Offer offer,
      boolean maintenance) {
    Reservation r = instance.reservation();
    String host = offer.getHostname();
    if (maintenance) {
      return new Rejection(List.of(RejectReason.AGENT_MAINTENANCE), host + " is in a maintenance window"
          + window(offer));
    }
    for (Reservation.Volume v : r.volumes()) {
      if (offer.getVolumesList().stream().noneMatch(o -> o.getPersistenceId().equals(v.persistenceId()))) {
        return new Rejection(List.of(RejectReason.NO_CORRESPONDING_RESERVATION_FOUND), "the offer from " + host
            + " does not hold persistent volume " + v.persistenceId() + " of instance " + instance.id()
            + " (another task still uses it, or it is gone)");
      }
    }
    for (Map.Entry<String, Double> e : r.taskShare().entrySet()) {
      if (!pool.heldFits(e.getKey(), e.getValue())) {
        return new Rejection(List.of(RejectReason.NO_CORRESPONDING_RESERVATION_FOUND), "the offer from " + host
            + " does not hold the " + format(e.getValue()) + " " + e.getKey() + " reserved for instance "
            + instance.id());
      }
    }
    if (!d.requiredPorts.isEmpty() && pool.choosePorts(d.requiredPorts, d.app.acceptedResourceRoles()) == null) {
      return new Rejection(List.of(RejectReason.INSUFFICIENT_PORTS), "needs " + d.requiredPorts.size()
          + " host port(s), the offer from " + host + " has too few");
    }
    return null;
  }

  private static Placement placeReserved(Demand d, Instance instance, OfferPool pool, Offer offer) {
    Reservation r = instance.reservation();
    List<Resource> resources = new ArrayList<>(5);
    r.taskShare().forEach((name, amount) -> resources.add(pool.takeHeld(name, amount)));
    List<String> roles = d.app.acceptedResourceRoles();
    List<Integer> ports = d.requiredPorts.isEmpty() ? List.of() : pool.choosePorts(d.requiredPorts, roles);
    resources.addAll(pool.takePorts(ports, roles));
    return new Placement(instance.id(), offer.getOfferId(), offer.getAgentId(), offer.getHostname(), resources,
        ports, r.attributes(), r, false);
  }

  /** The values constraints see on this agent: its attributes, and its host name as "hostname". */
  static Map<String, String> fieldValues(Offer offer) {
    Map<String, String> values = new HashMap<>();
    for (Attribute a : offer.getAttributesList()) {
      values.put(a.getName(), a.getText());
    }
    values.put(Constraint.HOSTNAME, offer.getHostname());
    return values;
  }

  /**
   * Whether the offer's agent is inside an announced maintenance window now. Marathon has no per-app opt-in,
   * so no app is placed there until the window ends.
   */
  static boolean inMaintenance(Offer offer, Instant now) {
    if (!offer.hasUnavailability()) {
      return false;
    }
    Unavailability u = offer.getUnavailability();
    long nowMillis = now.toEpochMilli();
    return nowMillis >= u.getStartMillis()
        && (!u.hasDurationMillis() || nowMillis < u.getStartMillis() + u.getDurationMillis());
  }

  /**
   * Every check the offer fails for the demand's next instance, in {@link RejectReason} order, with the first
   * one in words; null when the instance fits. All checks run even after one failed, so that the queue can
   * show each agent's every shortcoming; the words are built for the first failure only.
   */
  private static Rejection check(Demand d, OfferPool pool, Map<String, String> values, Offer offer,
      boolean maintenance, GpuSchedulingBehavior gpus) {
    AppDefinition app = d.app;
    String host = offer.getHostname();
    // a resident instance reserves what it takes, and only unreserved resources can be reserved
    List<String> roles = app.isResident() ? UNRESERVED_ONLY : app.acceptedResourceRoles();
    Reasons r = new Reasons();
    if (!pool.offersAnyRole(roles)) {
      r.add(RejectReason.UNFULFILLED_ROLE,
          () -> "the offer from " + host + " has no resources of the accepted roles " + roles);
    }
    Constraint violated = d.tracker.violated(values);
    if (violated != null) {
      r.add(RejectReason.UNFULFILLED_CONSTRAINT, () -> "constraint [" + violated.field() + ", "
          + violated.operator() + (violated.value() == null ? "" : ", " + violated.value()) + "] is not met on "
          + host);
    }
    if (maintenance) {
      r.add(RejectReason.AGENT_MAINTENANCE, () -> host + " is in a maintenance window" + window(offer));
    }
    scalar(r, pool, "cpus", app.cpus(), roles, RejectReason.INSUFFICIENT_CPUS, host, "");
    scalar(r, pool, "mem", app.mem(), roles, RejectReason.INSUFFICIENT_MEMORY, host, " MB");
    scalar(r, pool, "disk", d.diskToReserve, roles, RejectReason.INSUFFICIENT_DISK, host, " MB");
    scalar(r, pool, "gpus", app.gpus(), roles, RejectReason.INSUFFICIENT_GPUS, host, "");
    if (!d.requiredPorts.isEmpty() && pool.choosePorts(d.requiredPorts, roles) == null) {
      r.add(RejectReason.INSUFFICIENT_PORTS, () -> d.requiredPorts.stream().anyMatch(p -> p != 0)
          ? "needs host ports " + d.requiredPorts + ", not all free on " + host
          : "needs " + d.requiredPorts.size() + " host port(s), the offer from " + host + " has too few");
    }
    if (app.gpus() == 0 && gpuBehavior(app, gpus) == GpuSchedulingBehavior.RESTRICTED) {
      double offered = pool.available("gpus", List.of());
      if (offered > 0) {
        r.add(RejectReason.DECLINED_SCARCE_RESOURCES, () -> host + " offers " + format(offered)
            + " GPU(s), which are kept for apps that ask for GPUs (label the app " + GpuSchedulingBehavior.LABEL
            + "=unrestricted to place it there anyway)");
      }
    }
    return r.rejection();
  }

  private static GpuSchedulingBehavior gpuBehavior(AppDefinition app, GpuSchedulingBehavior configured) {
    String label = app.labels().get(GpuSchedulingBehavior.LABEL);
    if (label == null) {
      return configured;
    }
    try {
      return GpuSchedulingBehavior.parse(label);
    } catch (IllegalArgumentException e) {
      return configured;
    }
  }

  private static String window(Offer offer) {
    Unavailability u = offer.getUnavailability();
    String from = " from " + Instant.ofEpochMilli(u.getStartMillis());
    return u.hasDurationMillis() ? from + " until " + Instant.ofEpochMilli(u.getStartMillis() + u.getDurationMillis())
        : from + " with no announced end";
  }

  private static void scalar(Reasons r, OfferPool pool, String name, double needed, List<String> roles,
      RejectReason reason, String host, String unit) {
    if (!pool.fits(name, needed, roles)) {
      r.add(reason, () -> "needs " + name + " " + format(needed) + unit + ", the offer from " + host + " has "
          + format(pool.available(name, roles)) + unit);
    }
  }

  /** The failed checks of one instance, in the order they ran, and the first one's sentence. */
  private static final class Reasons {
    private List<RejectReason> reasons;
    private String detail;

    void add(RejectReason reason, Supplier<String> words) {
      if (reasons == null) {
        reasons = new ArrayList<>(2);
        detail = words.get();
      }
      reasons.add(reason);
    }

    Rejection rejection() {
      return reasons == null ? null : new Rejection(reasons, detail);
    }
  }

  private static Placement place(Demand d, Instance instance, OfferPool pool, Offer offer, Map<String, String> values,
      String reservationRole) {
    AppDefinition app = d.app;
    List<String> roles = app.acceptedResourceRoles();
    List<Integer> ports = d.requiredPorts.isEmpty() ? List.of() : pool.choosePorts(d.requiredPorts, roles);
    Map<String, String> attributes = new HashMap<>(values);
    attributes.remove(Constraint.HOSTNAME);
    if (app.isResident()) {
      return placeResident(d, instance, pool, offer, attributes, ports, reservationRole);
    }
    List<Resource> resources = new ArrayList<>(5);
    resources.addAll(pool.take("cpus", app.cpus(), roles));
    resources.addAll(pool.take("mem", app.mem(), roles));
    resources.addAll(pool.take("disk", app.disk(), roles));
    resources.addAll(pool.take("gpus", app.gpus(), roles));
    resources.addAll(pool.takePorts(ports, roles));
    return new Placement(instance.id(), offer.getOfferId(), offer.getAgentId(), offer.getHostname(), resources,
        ports, attributes);
  }

  /**
   * A resident instance's first placement: unreserved resources to be reserved for {@code role} with its
   * persistent volumes made from the disk, all in the launch's call; its task runs on them.
   */
  private static Placement placeResident(Demand d, Instance instance, OfferPool pool, Offer offer,
      Map<String, String> attributes, List<Integer> ports, String role) {
    AppDefinition app = d.app;
    Map<String, Double> scalars = new TreeMap<>();
    List<Resource> resources = new ArrayList<>(5);
    for (Map.Entry<String, Double> need : Map.of("cpus", app.cpus(), "mem", app.mem(), "disk", d.diskToReserve,
        "gpus", (double) app.gpus()).entrySet()) {
      if (need.getValue() > 0) {
        pool.take(need.getKey(), need.getValue(), UNRESERVED_ONLY);
        scalars.put(need.getKey(), need.getValue());
        double forTask = need.getKey().equals("disk") ? app.disk() : need.getValue();
        if (forTask > 0) {
          resources.add(Resource.newBuilder().setName(need.getKey()).setRole(role).setScalar(forTask).build());
        }
      }
    }
    resources.addAll(pool.takePorts(ports, app.acceptedResourceRoles()));
    List<Reservation.Volume> volumes = new ArrayList<>();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    for (LocalVolume v : app.localVolumes()) {
      // the master takes letters, digits and . _ - # : @ in an id, which is the agent's directory name too
      String name = v.containerPath().replaceAll("[^A-Za-z0-9._-]", "_");
      volumes.add(new Reservation.Volume(instance.id() + "#" + name + "#" + suffix, v.containerPath(), v.sizeMb()));
    }
    Reservation reservation = new Reservation(offer.getAgentId(), offer.getHostname(), attributes, role, scalars,
        volumes, "");
    return new Placement(instance.id(), offer.getOfferId(), offer.getAgentId(), offer.getHostname(), resources,
        ports, attributes, reservation, true);
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(Math.round(v * 1000) / 1000.0);
  }
}

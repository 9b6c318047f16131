package dev.corral.services.placement;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.Unavailability;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Constraint;
import dev.corral.services.instance.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private OfferMatcher() {}

  /** One app's waiting instances in launch order, consumed across the offers of one round. Round-confined. */
  public static final class Demand {
    private final AppDefinition app;
    private final List<Instance> waiting;
    private final ConstraintTracker tracker;
    private final List<Integer> requiredPorts;
    private int next;

    public Demand(AppDefinition app, List<Instance> waiting, ConstraintTracker tracker) {
      this.app = app;
      this.waiting = List.copyOf(waiting);
      this.tracker = tracker;
      this.requiredPorts = app.hostPortRequests();
    }

    public AppDefinition app() {
      return app;
    }

    public boolean exhausted() {
      return next >= waiting.size();
    }

    /** How many of its instances are still unplaced in this round. */
    public int remaining() {
      return waiting.size() - next;
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
    OfferPool pool = new OfferPool(offer);
    Map<String, String> values = fieldValues(offer);
    boolean maintenance = inMaintenance(offer, now);
    List<Placement> placements = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (Demand d : demands) {
      if (d.exhausted()) {
        continue;
      }
      int placed = 0;
      Rejection rejection = null;
      while (!d.exhausted()) {
        rejection = check(d, pool, values, offer, maintenance, gpus);
        if (rejection != null) {
          break;
        }
        placements.add(place(d, d.waiting.get(d.next), pool, offer, values));
        d.tracker.record(values);
        d.next++;
        placed++;
      }
      Offer offered = placed == 0 && rejection != null ? pool.remaining() : null;
      outcomes.add(new Outcome(d.app.id(), placed, rejection, offered));
    }
    return new Result(placements, outcomes);
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
    List<String> roles = app.acceptedResourceRoles();
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
    scalar(r, pool, "disk", app.disk(), roles, RejectReason.INSUFFICIENT_DISK, host, " MB");
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

  private static Placement place(Demand d, Instance instance, OfferPool pool, Offer offer, Map<String, String> values) {
    AppDefinition app = d.app;
    List<String> roles = app.acceptedResourceRoles();
    List<Integer> ports = d.requiredPorts.isEmpty() ? List.of() : pool.choosePorts(d.requiredPorts, roles);
    List<Resource> resources = new ArrayList<>(5);
    resources.addAll(pool.take("cpus", app.cpus(), roles));
    resources.addAll(pool.take("mem", app.mem(), roles));
    resources.addAll(pool.take("disk", app.disk(), roles));
    resources.addAll(pool.take("gpus", app.gpus(), roles));
    resources.addAll(pool.takePorts(ports, roles));
    Map<String, String> attributes = new HashMap<>(values);
    attributes.remove(Constraint.HOSTNAME);
    return new Placement(instance.id(), offer.getOfferId(), offer.getAgentId(), offer.getHostname(), resources,
        ports, attributes);
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(Math.round(v * 1000) / 1000.0);
  }
}

package dev.corral.services.placement;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Constraint;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.instance.Instance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
      List<Integer> ports = new ArrayList<>();
      for (PortDefinition p : app.portDefinitions()) {
        ports.add(app.requirePorts() ? p.port() : 0);
      }
      this.requiredPorts = Collections.unmodifiableList(ports);
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
   */
  public record Outcome(String appId, int placed, Rejection rejection) {}

  public record Result(List<Placement> placements, List<Outcome> outcomes) {
    public Result {
      placements = List.copyOf(placements);
      outcomes = List.copyOf(outcomes);
    }
  }

  public static Result match(Offer offer, List<Demand> demands) {
    OfferPool pool = new OfferPool(offer);
    Map<String, String> values = fieldValues(offer);
    List<Placement> placements = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (Demand d : demands) {
      if (d.exhausted()) {
        continue;
      }
      int placed = 0;
      Rejection rejection = null;
      while (!d.exhausted()) {
        rejection = check(d, pool, values, offer.getHostname());
        if (rejection != null) {
          break;
        }
        placements.add(place(d, d.waiting.get(d.next), pool, offer, values));
        d.tracker.record(values);
        d.next++;
        placed++;
      }
      outcomes.add(new Outcome(d.app.id(), placed, rejection));
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

  private static Rejection check(Demand d, OfferPool pool, Map<String, String> values, String host) {
    AppDefinition app = d.app;
    List<String> roles = app.acceptedResourceRoles();
    if (!pool.offersAnyRole(roles)) {
      return new Rejection(RejectReason.UNFULFILLED_ROLE,
          "the offer from " + host + " has no resources of the accepted roles " + roles);
    }
    Constraint violated = d.tracker.violated(values);
    if (violated != null) {
      return new Rejection(RejectReason.UNFULFILLED_CONSTRAINT, "constraint [" + violated.field() + ", "
          + violated.operator() + (violated.value() == null ? "" : ", " + violated.value()) + "] is not met on "
          + host);
    }
    Rejection r = scalar(pool, "cpus", app.cpus(), roles, RejectReason.INSUFFICIENT_CPUS, host, "");
    r = r != null ? r : scalar(pool, "mem", app.mem(), roles, RejectReason.INSUFFICIENT_MEMORY, host, " MB");
    r = r != null ? r : scalar(pool, "disk", app.disk(), roles, RejectReason.INSUFFICIENT_DISK, host, " MB");
    r = r != null ? r : scalar(pool, "gpus", app.gpus(), roles, RejectReason.INSUFFICIENT_GPUS, host, "");
    if (r != null) {
      return r;
    }
    if (!d.requiredPorts.isEmpty() && pool.choosePorts(d.requiredPorts, roles) == null) {
      return new Rejection(RejectReason.INSUFFICIENT_PORTS, app.requirePorts()
          ? "needs host ports " + d.requiredPorts + ", not all free on " + host
          : "needs " + d.requiredPorts.size() + " host port(s), the offer from " + host + " has too few");
    }
    return null;
  }

  private static Rejection scalar(OfferPool pool, String name, double needed, List<String> roles,
      RejectReason reason, String host, String unit) {
    if (pool.fits(name, needed, roles)) {
      return null;
    }
    return new Rejection(reason, "needs " + name + " " + format(needed) + unit + ", the offer from " + host
        + " has " + format(pool.available(name, roles)) + unit);
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

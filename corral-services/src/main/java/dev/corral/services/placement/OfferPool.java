package dev.corral.services.placement;

import dev.corral.api.Ranges;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is left of one offer while the matcher fills it. Mutable, confined to one matching call.
 *
 * <p>Resources are consumed from reserved roles before unreserved ones ("*"), so that reservations made for
 * this framework are used first. An app's {@code acceptedResourceRoles} limits which roles it may take; an
 * empty list means any role in the offer.
 */
final class OfferPool {
  private static final double EPSILON = 1e-6;
  private static final String UNRESERVED = "*";

  /** name → (role → amount), reserved roles first. */
  private final Map<String, Map<String, Double>> scalars = new LinkedHashMap<>();
  /** role → free ports, reserved roles first. */
  private final Map<String, Ranges> ports = new TreeMap<>(OfferPool::reservedFirst);
  private final Offer offer;
  /** Resources of {@link #heldRole} held back for resident instances: name → amount. */
  private final Map<String, Double> heldBack = new TreeMap<>();
  private String heldRole = UNRESERVED;
  /** Whether anything was taken, i.e. whether the pool still equals the offer. */
  private boolean touched;

  OfferPool(Offer offer) {
    this.offer = offer;
    for (Resource r : offer.getResourcesList()) {
      String role = r.getRole().isEmpty() ? UNRESERVED : r.getRole();
      if (r.getName().equals("ports")) {
        ports.merge(role, Ranges.fromProto(r.getRangesList()), Ranges::plus);
      } else if (r.getRangesCount() == 0) {
        scalars.computeIfAbsent(r.getName(), n -> new TreeMap<>(OfferPool::reservedFirst))
            .merge(role, r.getScalar(), Double::sum);
      }
    }
  }

  private static int reservedFirst(String a, String b) {
    boolean ua = a.equals(UNRESERVED);
    boolean ub = b.equals(UNRESERVED);
    return ua == ub ? a.compareTo(b) : (ua ? 1 : -1);
  }

  /**
   * The offer as it is now: the original when nothing was taken, else a copy that holds what is left (built
   * only then, so that an untouched offer costs nothing to show).
   */
  Offer remaining() {
    if (!touched) {
      return offer;
    }
    Offer.Builder b = offer.toBuilder().clearResources();
    scalars.forEach((name, byRole) -> byRole.forEach((role, amount) ->
        b.addResources(Resource.newBuilder().setName(name).setRole(role).setScalar(amount))));
    ports.forEach((role, free) -> {
      if (!free.isEmpty()) {
        b.addResources(Resource.newBuilder().setName("ports").setRole(role).addAllRanges(free.toProto()));
      }
    });
    return b.build();
  }

  /**
   * Holds back {@code amounts} of {@code role}'s resources: what resident instances without a task have reserved
   * on this agent. Other instances cannot take them; each resident instance takes its own with {@link #takeHeld}.
   */
  void hold(String role, Map<String, Double> amounts) {
    touched = true;
    amounts.forEach((name, amount) -> {
      Map<String, Double> byRole = scalars.get(name);
      double have = byRole == null ? 0 : byRole.getOrDefault(role, 0.0);
      double held = Math.min(have, amount);
      if (held > 0) {
        byRole.put(role, have - held);
        heldBack.merge(name, held, Double::sum);
      }
    });
    heldRole = role;
  }

  /** Whether the held-back resources still hold {@code amount} of {@code name}. */
  boolean heldFits(String name, double amount) {
    return amount <= 0 || heldBack.getOrDefault(name, 0.0) + EPSILON >= amount;
  }

  /** Takes {@code amount} of the held-back resources; call only after {@link #heldFits}. */
  Resource takeHeld(String name, double amount) {
    heldBack.computeIfPresent(name, (n, v) -> Math.max(0, v - amount));
    return Resource.newBuilder().setName(name).setRole(heldRole).setScalar(amount).build();
  }

  /** Whether the offer holds anything of the accepted roles at all. */
  boolean offersAnyRole(List<String> accepted) {
    if (accepted.isEmpty()) {
      return true;
    }
    for (Map<String, Double> byRole : scalars.values()) {
      for (String role : byRole.keySet()) {
        if (accepted.contains(role)) {
          return true;
        }
      }
    }
    for (String role : ports.keySet()) {
      if (accepted.contains(role)) {
        return true;
      }
    }
    return false;
  }

  double available(String name, List<String> accepted) {
    double sum = 0;
    for (Map.Entry<String, Double> e : scalars.getOrDefault(name, Map.of()).entrySet()) {
      if (allowed(e.getKey(), accepted)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  boolean fits(String name, double amount, List<String> accepted) {
    return amount <= 0 || available(name, accepted) + EPSILON >= amount;
  }

  /** Takes {@code amount}; call only after {@link #fits}. Returns one resource per role used. */
  List<Resource> take(String name, double amount, List<String> accepted) {
    List<Resource> out = new ArrayList<>(1);
    if (amount <= 0) {
      return out;
    }
    touched = true;
    double left = amount;
    Map<String, Double> byRole = scalars.get(name);
    for (Map.Entry<String, Double> e : byRole.entrySet()) {
      if (left <= EPSILON) {
        break;
      }
      if (!allowed(e.getKey(), accepted) || e.getValue() <= EPSILON) {
        continue;
      }
      double used = Math.min(left, e.getValue());
      // Whatever is within epsilon of the rest is taken whole, so 0.1 + 0.2 fits into 0.3.
      if (left - used <= EPSILON) {
        used = left;
      }
      e.setValue(Math.max(0, e.getValue() - used));
      left -= used;
      out.add(Resource.newBuilder().setName(name).setRole(e.getKey()).setScalar(used).build());
    }
    return out;
  }

  /**
   * Chooses host ports: each non-zero entry of {@code required} exactly, and a free port for each zero.
   * Returns null when they cannot all be had; else the ports in the order of {@code required}.
   */
  List<Integer> choosePorts(List<Integer> required, List<String> accepted) {
    Ranges free = Ranges.EMPTY;
    for (Map.Entry<String, Ranges> e : ports.entrySet()) {
      if (allowed(e.getKey(), accepted)) {
        free = free.plus(e.getValue());
      }
    }
    List<Integer> fixed = new ArrayList<>();
    int dynamic = 0;
    for (int p : required) {
      if (p == 0) {
        dynamic++;
      } else {
        fixed.add(p);
      }
    }
    for (int p : fixed) {
      if (!free.contains(p)) {
        return null;
      }
    }
    List<Integer> out = new ArrayList<>(required.size());
    Ranges rest = fixed.isEmpty() ? free : free.minus(Ranges.ofValues(toLongs(fixed)));
    List<Long> dynamicPorts = dynamic == 0 ? List.of() : rest.first(dynamic);
    if (dynamicPorts.size() < dynamic) {
      return null;
    }
    int d = 0;
    for (int p : required) {
      out.add(p == 0 ? (int) (long) dynamicPorts.get(d++) : p);
    }
    return out;
  }

  /** Removes the chosen ports from the pool; returns one resource per role they came from. */
  List<Resource> takePorts(List<Integer> chosen, List<String> accepted) {
    List<Resource> out = new ArrayList<>(1);
    if (chosen.isEmpty()) {
      return out;
    }
    touched = true;
    List<Long> wanted = toLongs(chosen);
    for (Map.Entry<String, Ranges> e : ports.entrySet()) {
      if (!allowed(e.getKey(), accepted)) {
        continue;
      }
      List<Long> here = new ArrayList<>();
      for (Long p : wanted) {
        if (e.getValue().contains(p)) {
          here.add(p);
        }
      }
      if (here.isEmpty()) {
        continue;
      }
      Ranges taken = Ranges.ofValues(here);
      e.setValue(e.getValue().minus(taken));
      wanted.removeAll(here);
      out.add(Resource.newBuilder().setName("ports").setRole(e.getKey()).addAllRanges(taken.toProto()).build());
    }
    return out;
  }

  private static boolean allowed(String role, List<String> accepted) {
    return accepted.isEmpty() || accepted.contains(role);
  }

  private static List<Long> toLongs(List<Integer> ints) {
    List<Long> out = new ArrayList<>(ints.size());
    ints.forEach(i -> out.add((long) i));
    return out;
  }
}

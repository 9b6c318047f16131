package dev.corral.master;

import dev.corral.api.Ranges;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Resource;
import java.util.ArrayList;
import java.util.List;

/** Resource arithmetic the master needs beyond {@link ResourceSet}. */
final class Resources {
  private static final double EPSILON = 1e-6;

  private Resources() {}

  /**
   * {@code a − b}, removing only what {@code a} has. Needed where the master cannot guarantee containment:
   * an agent may re-register with tasks that use more than it now reports, or with other roles.
   */
  static ResourceSet clampedMinus(ResourceSet a, ResourceSet b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.contains(b)) {
      return a.minus(b);
    }
    ResourceSet.Builder common = ResourceSet.builder();
    for (Resource r : b.toProto()) {
      if (r.getRangesCount() > 0) {
        Ranges want = Ranges.fromProto(r.getRangesList());
        Ranges overlap = want.minus(want.minus(a.ranges(r.getName(), r.getRole())));
        common.ranges(r.getName(), r.getRole(), overlap);
      } else {
        common.scalar(r.getName(), r.getRole(), Math.min(r.getScalar(), a.scalar(r.getName(), r.getRole())));
      }
    }
    return a.minus(common.build());
  }

  /**
   * Why {@code need} does not fit into {@code have}, one clause per missing (name, role), e.g.
   * "needs mem:512 but the offer has mem:256 left"; empty when it fits.
   */
  static String shortfall(ResourceSet need, ResourceSet have) {
    List<String> parts = new ArrayList<>();
    for (Resource r : need.toProto()) {
      String label = label(r.getName(), r.getRole());
      if (r.getRangesCount() > 0) {
        Ranges want = Ranges.fromProto(r.getRangesList());
        Ranges left = have.ranges(r.getName(), r.getRole());
        if (!left.containsAll(want)) {
          parts.add("needs " + label + ":" + want + " but the offer has " + label + ":" + left + " left");
        }
      } else {
        double left = have.scalar(r.getName(), r.getRole());
        if (left + EPSILON < r.getScalar()) {
          parts.add("needs " + label + ":" + number(r.getScalar()) + " but the offer has " + label + ":"
              + number(left) + " left");
        }
      }
    }
    return String.join("; ", parts);
  }

  private static String label(String name, String role) {
    return role.equals(ResourceSet.UNRESERVED) ? name : name + "(" + role + ")";
  }

  /** 512.0 prints as 512, 0.5 as 0.5. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

package dev.corral.services.placement;

import dev.corral.services.app.Constraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates one app's constraints against candidate agents, counting the app's placed instances by attribute
 * value: those running before the round and those placed during it ({@link #record}), so that each check is
 * O(constraints), not O(instances). Mutable, confined to one offer round.
 *
 * <p>Semantics follow Marathon 1.5's {@code Constraints}: an agent that lacks the attribute satisfies only
 * UNLIKE; CLUSTER without a value pins the app to the value of its first placed instance; GROUP_BY accepts a
 * value not seen yet, or a seen one that has the fewest instances once at least {@code value} groups exist.
 */
public final class ConstraintTracker {
  private final List<Constraint> constraints;
  private final List<Map<String, Integer>> counts = new ArrayList<>();
  /** Per constraint: instance count → how many values have that count (for GROUP_BY's minimum). */
  private final List<TreeMap<Integer, Integer>> histograms = new ArrayList<>();

  /** Per constraint: LIKE and UNLIKE's answer by value, since an offer round asks about the same few values. */
  private final List<Map<String, Boolean>> matches = new ArrayList<>();

  private ConstraintTracker(List<Constraint> constraints) {
    this.constraints = constraints;
    for (int i = 0; i < constraints.size(); i++) {
      counts.add(new HashMap<>());
      histograms.add(new TreeMap<>());
      matches.add(new HashMap<>());
    }
  }

  /**
   * Whether the constraints depend on where the app's instances already run. LIKE, UNLIKE and IS look at the
   * agent alone: for them the caller need not gather the placed instances' values at all.
   */
  public static boolean countsPlaced(List<Constraint> constraints) {
    return constraints.stream().anyMatch(ConstraintTracker::counted);
  }

  private static boolean counted(Constraint c) {
    switch (c.operator()) {
      case LIKE:
      case UNLIKE:
      case IS:
        return false;
      default:
        return true;
    }
  }

  /** A tracker seeded with the field values of the app's already placed instances (one map per instance). */
  public static ConstraintTracker of(List<Constraint> constraints, Iterable<Map<String, String>> placed) {
    ConstraintTracker t = new ConstraintTracker(constraints);
    for (Map<String, String> values : placed) {
      t.record(values);
    }
    return t;
  }

  /** The first constraint an agent with these field values would violate, or null when it meets them all. */
  public Constraint violated(Map<String, String> values) {
    for (int i = 0; i < constraints.size(); i++) {
      if (!meets(i, values.get(constraints.get(i).field()))) {
        return constraints.get(i);
      }
    }
    return null;
  }

  /** Counts one more instance placed on an agent with these field values. */
  public void record(Map<String, String> values) {
    for (int i = 0; i < constraints.size(); i++) {
      String v = values.get(constraints.get(i).field());
      if (v == null || !counted(constraints.get(i))) {
        continue;
      }
      int before = counts.get(i).getOrDefault(v, 0);
      counts.get(i).put(v, before + 1);
      TreeMap<Integer, Integer> h = histograms.get(i);
      if (before > 0) {
        h.computeIfPresent(before, (k, n) -> n == 1 ? null : n - 1);
      }
      h.merge(before + 1, 1, Integer::sum);
    }
  }

  private boolean meets(int i, String value) {
    Constraint c = constraints.get(i);
    if (value == null) {
      return c.operator() == Constraint.Operator.UNLIKE;
    }
    Map<String, Integer> count = counts.get(i);
    switch (c.operator()) {
      case UNIQUE:
        return !count.containsKey(value);
      case CLUSTER:
        if (c.value() != null && !c.value().isEmpty()) {
          return value.equals(c.value());
        }
        return count.isEmpty() || count.containsKey(value);
      case GROUP_BY:
        if (!count.containsKey(value)) {
          return true;
        }
        int minCount = histograms.get(i).firstKey();
        return count.size() >= c.intValue() && count.get(value) == minCount;
      case LIKE:
        return matches.get(i).computeIfAbsent(value, v -> c.pattern().matcher(v).matches());
      case UNLIKE:
        return !matches.get(i).computeIfAbsent(value, v -> c.pattern().matcher(v).matches());
      case MAX_PER:
        return count.getOrDefault(value, 0) < c.intValue();
      case IS:
        return value.equals(c.value());
      default:
        throw new IllegalStateException("unhandled operator " + c.operator());
    }
  }
}

package dev.corral.api;

import dev.corral.api.v1.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable bag of resources keyed by (name, role): scalars (cpus, mem, disk, gpus) and ranges (ports).
 * The arithmetic the allocator and the schedulers share. Scalars are compared with a small epsilon so that
 * 0.1 + 0.2 fits into 0.3, as in Mesos.
 */
public final class ResourceSet {
  public static final String UNRESERVED = "*";
  public static final ResourceSet EMPTY = new ResourceSet(Map.of(), Map.of());
  private static final double EPSILON = 1e-6;

  /** Keys are "name(role)". */
  private final Map<String, Double> scalars;
  private final Map<String, Ranges> ranges;
  /** Whether every resource is unreserved: then every role may use all of it (the allocator's common case). */
  private final boolean unreservedOnly;
  /** Kept in a field: asked of every agent on every pass, where reaching into the maps costs cache misses. */
  private final boolean empty;
  /** Totals over all roles of the kinds the allocator and matchers ask about on every agent, every pass. */
  private final double cpus;
  private final double mem;
  private final double disk;
  private final double gpus;

  private ResourceSet(Map<String, Double> scalars, Map<String, Ranges> ranges) {
    this.scalars = Collections.unmodifiableMap(scalars);
    this.ranges = Collections.unmodifiableMap(ranges);
    boolean unreserved = true;
    for (String k : scalars.keySet()) {
      unreserved &= k.endsWith("(" + UNRESERVED + ")");
    }
    for (String k : ranges.keySet()) {
      unreserved &= k.endsWith("(" + UNRESERVED + ")");
    }
    this.unreservedOnly = unreserved;
    this.empty = scalars.isEmpty() && ranges.isEmpty();
    this.cpus = sumOf("cpus");
    this.mem = sumOf("mem");
    this.disk = sumOf("disk");
    this.gpus = sumOf("gpus");
  }

  public static ResourceSet fromProto(List<Resource> resources) {
    Builder b = builder();
    for (Resource r : resources) {
      String role = roleOf(r);
      if (r.getRangesCount() > 0) {
        b.ranges(r.getName(), role, Ranges.fromProto(r.getRangesList()));
      } else {
        b.scalar(r.getName(), role, r.getScalar());
      }
    }
    return b.build();
  }

  /** Built once: the allocator sends the same agent's resources in offer after offer. */
  private volatile List<Resource> proto;

  public List<Resource> toProto() {
    List<Resource> built = proto;
    if (built == null) {
      built = buildProto();
      proto = built;
    }
    return built;
  }

  private List<Resource> buildProto() {
    List<Resource> out = new ArrayList<>();
    scalars.forEach((key, value) -> out.add(sharedScalar(key, value)));
    ranges.forEach((key, value) -> out.add(Resource.newBuilder()
        .setName(nameOf(key)).setRole(roleOfKey(key)).addAllRanges(value.toProto()).build()));
    return List.copyOf(out);
  }

  private record ScalarKey(String key, double value) {}

  /** Bounded: cleared when full, so odd quantities cannot grow it without limit. */
  private static final int SHARED_LIMIT = 4096;
  private static final ConcurrentHashMap<ScalarKey, Resource> SHARED = new ConcurrentHashMap<>();

  /**
   * One message per (name, role, quantity): machines of one kind share their resource messages, so writing
   * the offers of thousands of them reads a few hot objects (sizes computed once) instead of three per agent.
   */
  private static Resource sharedScalar(String key, double value) {
    ScalarKey k = new ScalarKey(key, value);
    Resource r = SHARED.get(k);
    if (r == null) {
      if (SHARED.size() >= SHARED_LIMIT) {
        SHARED.clear();
      }
      r = Resource.newBuilder().setName(nameOf(key)).setRole(roleOfKey(key)).setScalar(value).build();
      SHARED.put(k, r);
    }
    return r;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The scalar of this name summed over all roles. */
  public double scalar(String name) {
    switch (name) {
      case "cpus":
        return cpus;
      case "mem":
        return mem;
      case "disk":
        return disk;
      case "gpus":
        return gpus;
      default:
        return sumOf(name);
    }
  }

  private double sumOf(String name) {
    double sum = 0;
    for (Map.Entry<String, Double> e : scalars.entrySet()) {
      String k = e.getKey();
      if (k.length() > name.length() && k.charAt(name.length()) == '(' && k.startsWith(name)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  public double scalar(String name, String role) {
    return scalars.getOrDefault(key(name, role), 0.0);
  }

  /** The ranges of this name, over all roles. */
  public Ranges ranges(String name) {
    Ranges out = Ranges.EMPTY;
    for (Map.Entry<String, Ranges> e : ranges.entrySet()) {
      if (nameOf(e.getKey()).equals(name)) {
        out = out.plus(e.getValue());
      }
    }
    return out;
  }

  public Ranges ranges(String name, String role) {
    return ranges.getOrDefault(key(name, role), Ranges.EMPTY);
  }

  public boolean isEmpty() {
    return empty;
  }

  /** Only the resources a framework of {@code role} may use: unreserved ones and those reserved for it. */
  public ResourceSet allocatableTo(String role) {
    if (unreservedOnly) {
      return this;
    }
    Builder b = builder();
    scalars.forEach((k, v) -> {
      if (roleOfKey(k).equals(UNRESERVED) || roleOfKey(k).equals(role)) {
        b.scalar(nameOf(k), roleOfKey(k), v);
      }
    });
    ranges.forEach((k, v) -> {
      if (roleOfKey(k).equals(UNRESERVED) || roleOfKey(k).equals(role)) {
        b.ranges(nameOf(k), roleOfKey(k), v);
      }
    });
    return b.build();
  }

  public ResourceSet plus(ResourceSet other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Builder b = toBuilder();
    other.scalars.forEach((k, v) -> b.scalar(nameOf(k), roleOfKey(k), v));
    other.ranges.forEach((k, v) -> b.ranges(nameOf(k), roleOfKey(k), v));
    return b.build();
  }

  /**
   * Subtracts {@code other}; throws when it is not contained (callers check {@link #contains} first where a
   * misfit is an expected outcome rather than a bug).
   */
  public ResourceSet minus(ResourceSet other) {
    if (other == this) {
      return EMPTY;
    }
    if (!contains(other)) {
      throw new IllegalArgumentException(this + " does not contain " + other);
    }
    Map<String, Double> s = new TreeMap<>(scalars);
    other.scalars.forEach((k, v) -> {
      double left = s.getOrDefault(k, 0.0) - v;
      if (left <= EPSILON) {
        s.remove(k);
      } else {
        s.put(k, left);
      }
    });
    Map<String, Ranges> r = new TreeMap<>(ranges);
    other.ranges.forEach((k, v) -> {
      Ranges left = r.getOrDefault(k, Ranges.EMPTY).minus(v);
      if (left.isEmpty()) {
        r.remove(k);
      } else {
        r.put(k, left);
      }
    });
    return new ResourceSet(s, r);
  }

  /** Whether every (name, role) of {@code other} fits into this set. */
  public boolean contains(ResourceSet other) {
    for (Map.Entry<String, Double> e : other.scalars.entrySet()) {
      if (scalars.getOrDefault(e.getKey(), 0.0) + EPSILON < e.getValue()) {
        return false;
      }
    }
    for (Map.Entry<String, Ranges> e : other.ranges.entrySet()) {
      if (!ranges.getOrDefault(e.getKey(), Ranges.EMPTY).containsAll(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  public Builder toBuilder() {
    Builder b = builder();
    b.scalars.putAll(scalars);
    b.ranges.putAll(ranges);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    // Same instance first: the allocator compares an agent's free resources with those of its last offer,
    // usually the very same set, and walking both maps would touch a dozen objects per agent.
    return o == this || o instanceof ResourceSet r && scalars.equals(r.scalars) && ranges.equals(r.ranges);
  }

  @Override
  public int hashCode() {
    return scalars.hashCode() * 31 + ranges.hashCode();
  }

  /** Mesos notation: cpus(*):2; mem(*):1024; ports(*):[31000-32000]. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    scalars.forEach((k, v) -> parts.add(k + ":" + (v == Math.rint(v) ? String.valueOf(v.longValue()) : v)));
    ranges.forEach((k, v) -> parts.add(k + ":" + v));
    return String.join("; ", parts);
  }

  private static String key(String name, String role) {
    return name + "(" + role + ")";
  }

  private static String nameOf(String key) {
    return key.substring(0, key.indexOf('('));
  }

  private static String roleOfKey(String key) {
    return key.substring(key.indexOf('(') + 1, key.length() - 1);
  }

  private static String roleOf(Resource r) {
    return r.getRole().isEmpty() ? UNRESERVED : r.getRole();
  }

  /** Accumulates resources; adding the same (name, role) twice sums scalars and unites ranges. */
  public static final class Builder {
    private final Map<String, Double> scalars = new TreeMap<>();
    private final Map<String, Ranges> ranges = new TreeMap<>();

    public Builder scalar(String name, double value) {
      return scalar(name, UNRESERVED, value);
    }

    public Builder scalar(String name, String role, double value) {
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("resource " + name + " must be a finite number >= 0, got " + value);
      }
      if (value > 0) {
        scalars.merge(key(name, role), value, Double::sum);
      }
      return this;
    }

    public Builder ranges(String name, Ranges value) {
      return ranges(name, UNRESERVED, value);
    }

    public Builder ranges(String name, String role, Ranges value) {
      if (!value.isEmpty()) {
        ranges.merge(key(name, role), value, Ranges::plus);
      }
      return this;
    }

    public ResourceSet build() {
      return new ResourceSet(new TreeMap<>(scalars), new TreeMap<>(ranges));
    }
  }
}

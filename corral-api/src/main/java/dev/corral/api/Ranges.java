package dev.corral.api;

import dev.corral.api.v1.Range;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An immutable set of non-negative integers stored as sorted, disjoint, non-adjacent inclusive ranges. */
public final class Ranges {
  public static final Ranges EMPTY = new Ranges(new long[0]);

  /** begin0, end0, begin1, end1, … sorted, disjoint and non-adjacent. */
  private final long[] bounds;

  private Ranges(long[] bounds) {
    this.bounds = bounds;
  }

  public static Ranges of(long begin, long end) {
    if (begin > end || begin < 0) {
      throw new IllegalArgumentException("invalid range [" + begin + "-" + end + "]");
    }
    return new Ranges(new long[] {begin, end});
  }

  public static Ranges fromProto(List<Range> ranges) {
    Ranges out = EMPTY;
    for (Range r : ranges) {
      out = out.plus(of(r.getBegin(), r.getEnd()));
    }
    return out;
  }

  public List<Range> toProto() {
    List<Range> out = new ArrayList<>(bounds.length / 2);
    for (int i = 0; i < bounds.length; i += 2) {
      out.add(Range.newBuilder().setBegin(bounds[i]).setEnd(bounds[i + 1]).build());
    }
    return out;
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** How many numbers the set holds. */
  public long size() {
    long n = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      n += bounds[i + 1] - bounds[i] + 1;
    }
    return n;
  }

  public boolean contains(long value) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (value < bounds[i]) {
        return false;
      }
      if (value <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  public boolean containsAll(Ranges other) {
    return other.minus(this).isEmpty();
  }

  public Ranges plus(Ranges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<long[]> all = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      all.add(new long[] {bounds[i], bounds[i + 1]});
    }
    for (int i = 0; i < other.bounds.length; i += 2) {
      all.add(new long[] {other.bounds[i], other.bounds[i + 1]});
    }
    all.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] r : all) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(new long[] {r[0], r[1]});
      }
    }
    return fromPairs(merged);
  }

  public Ranges minus(Ranges other) {
    if (isEmpty() || other.isEmpty()) {
      return this;
    }
    List<long[]> out = new ArrayList<>();
    int j = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      long begin = bounds[i];
      long end = bounds[i + 1];
      while (j < other.bounds.length && other.bounds[j + 1] < begin) {
        j += 2;
      }
      int k = j;
      while (begin <= end && k < other.bounds.length && other.bounds[k] <= end) {
        if (other.bounds[k] > begin) {
          out.add(new long[] {begin, other.bounds[k] - 1});
        }
        begin = Math.max(begin, other.bounds[k + 1] + 1);
        k += 2;
      }
      if (begin <= end) {
        out.add(new long[] {begin, end});
      }
    }
    return fromPairs(out);
  }

  /** The first {@code count} numbers of the set in ascending order (fewer if the set is smaller). */
  public List<Long> first(int count) {
    List<Long> out = new ArrayList<>(count);
    for (int i = 0; i < bounds.length && out.size() < count; i += 2) {
      for (long v = bounds[i]; v <= bounds[i + 1] && out.size() < count; v++) {
        out.add(v);
      }
    }
    return Collections.unmodifiableList(out);
  }

  public static Ranges ofValues(List<Long> values) {
    Ranges out = EMPTY;
    for (long v : values) {
      out = out.plus(of(v, v));
    }
    return out;
  }

  private static Ranges fromPairs(List<long[]> pairs) {
    long[] b = new long[pairs.size() * 2];
    for (int i = 0; i < pairs.size(); i++) {
      b[2 * i] = pairs.get(i)[0];
      b[2 * i + 1] = pairs.get(i)[1];
    }
    return new Ranges(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ranges r && java.util.Arrays.equals(bounds, r.bounds);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bounds);
  }

  /** Mesos notation, e.g. [31000-31005, 31010-31010]. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(bounds[i]).append('-').append(bounds[i + 1]);
    }
    return sb.append(']').toString();
  }
}

package dev.corral.agent.resources;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the agent's {@code --resources} string, Mesos notation:
 * {@code cpus:4;mem:8192;disk:1000;gpus:0;ports:[20000-21000,30000-30010];cpus(ads):2}.
 *
 * <p>A value in brackets is a set of ranges ({@code a-b} or a single {@code a}); anything else is a scalar
 * ({@code >= 0}, finite). The role goes in parentheses after the name; none means unreserved ({@code *}).
 * Every error is an {@link IllegalArgumentException} whose message quotes the bad part. Stateless.
 */
public final class ResourceParser {
  private static final Pattern PART =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)(?:\\(([^()]*)\\))?\\s*:\\s*(.*)", Pattern.DOTALL);
  private static final Pattern ROLE = Pattern.compile("\\*|[A-Za-z0-9_][A-Za-z0-9_./-]*");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");

  private ResourceParser() {}

  /**
   * The resources in declaration order, zero scalars included (callers decide whether to drop them).
   * The same name and role twice is an error: it is almost always a typo.
   */
  public static List<Resource> parse(String text) {
    List<Resource> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String raw : text.split(";")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      Resource r = parsePart(part);
      if (!seen.add(r.getName() + "(" + r.getRole() + ")")) {
        throw bad(part, "resource " + r.getName() + " with role " + r.getRole() + " is given twice");
      }
      out.add(r);
    }
    return out;
  }

  private static Resource parsePart(String part) {
    Matcher m = PART.matcher(part);
    if (!m.matches()) {
      throw bad(part, "expected name:value or name(role):value");
    }
    String name = m.group(1);
    String role = m.group(2) == null ? ResourceSet.UNRESERVED : m.group(2).trim();
    String value = m.group(3).trim();
    if (!ROLE.matcher(role).matches()) {
      throw bad(part, "invalid role '" + role + "'");
    }
    Resource.Builder b = Resource.newBuilder().setName(name).setRole(role);
    if (value.startsWith("[")) {
      b.addAllRanges(parseRanges(part, value));
    } else {
      if (!NUMBER.matcher(value).matches()) {
        throw bad(part, "'" + value + "' is not a non-negative number");
      }
      b.setScalar(Double.parseDouble(value));
    }
    return b.build();
  }

  private static List<Range> parseRanges(String part, String value) {
    if (!value.endsWith("]")) {
      throw bad(part, "ranges must be written [begin-end,...]");
    }
    List<Range> out = new ArrayList<>();
    String inner = value.substring(1, value.length() - 1).trim();
    if (inner.isEmpty()) {
      return out;
    }
    for (String item : inner.split(",")) {
      String r = item.trim();
      int dash = r.indexOf('-');
      String begin = dash < 0 ? r : r.substring(0, dash).trim();
      String end = dash < 0 ? r : r.substring(dash + 1).trim();
      long b = parseLong(part, begin);
      long e = parseLong(part, end);
      if (b > e) {
        throw bad(part, "range '" + r + "' begins after it ends");
      }
      out.add(Range.newBuilder().setBegin(b).setEnd(e).build());
    }
    return out;
  }

  private static long parseLong(String part, String s) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 18) {
      throw bad(part, "'" + s + "' is not a valid range bound");
    }
    return Long.parseLong(s);
  }

  private static IllegalArgumentException bad(String part, String why) {
    return new IllegalArgumentException("invalid resource '" + part + "': " + why);
  }
}

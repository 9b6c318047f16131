package dev.corral.sim;

import dev.corral.api.Ranges;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Resource;
import java.util.List;

/**
 * Resources in the Mesos notation that agents take on their command line:
 * {@code cpus:4;mem:8192;cpus(web):2;ports:[31000-31099,32000-32099]}. Pure.
 */
final class ResourceText {
  private ResourceText() {}

  /** @throws IllegalArgumentException naming the part that cannot be read */
  static List<Resource> parse(String text) {
    ResourceSet.Builder b = ResourceSet.builder();
    for (String raw : text.split(";")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("resource '" + part + "' is not name:value");
      }
      String name = part.substring(0, colon).trim();
      String role = ResourceSet.UNRESERVED;
      int paren = name.indexOf('(');
      if (paren >= 0) {
        if (!name.endsWith(")")) {
          throw new IllegalArgumentException("resource '" + part + "' has an unclosed role");
        }
        role = name.substring(paren + 1, name.length() - 1);
        name = name.substring(0, paren);
      }
      String value = part.substring(colon + 1).trim();
      try {
        if (value.startsWith("[") && value.endsWith("]")) {
          for (String range : value.substring(1, value.length() - 1).split(",")) {
            String[] be = range.trim().split("-");
            long begin = Long.parseLong(be[0].trim());
            long end = be.length > 1 ? Long.parseLong(be[1].trim()) : begin;
            b.ranges(name, role, Ranges.of(begin, end));
          }
        } else {
          b.scalar(name, role, Double.parseDouble(value));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("resource '" + part + "' has an invalid value", e);
      }
    }
    return b.build().toProto();
  }
}

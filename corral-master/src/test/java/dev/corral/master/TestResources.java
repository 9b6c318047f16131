package dev.corral.master;

import dev.corral.api.Ranges;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Resource;
import java.util.List;

/** Resources in Mesos notation for tests: "cpus:4;mem:1024;cpus(web):2;ports:[31000-31010]". */
final class TestResources {
  private TestResources() {}

  static ResourceSet parse(String text) {
    ResourceSet.Builder b = ResourceSet.builder();
    for (String part : text.split(";")) {
      part = part.trim();
      if (part.isEmpty()) {
        continue;
      }
      String[] kv = part.split(":", 2);
      String name = kv[0];
      String role = ResourceSet.UNRESERVED;
      int paren = name.indexOf('(');
      if (paren >= 0) {
        role = name.substring(paren + 1, name.length() - 1);
        name = name.substring(0, paren);
      }
      String value = kv[1].trim();
      if (value.startsWith("[")) {
        for (String range : value.substring(1, value.length() - 1).split(",")) {
          String[] be = range.trim().split("-");
          b.ranges(name, role, Ranges.of(Long.parseLong(be[0]), Long.parseLong(be[1])));
        }
      } else {
        b.scalar(name, role, Double.parseDouble(value));
      }
    }
    return b.build();
  }

  static List<Resource> proto(String text) {
    return parse(text).toProto();
  }
}

package dev.corral.agent.resources;

import dev.corral.api.v1.Attribute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code --attributes}: {@code rack:r1;zone:a}. The value is everything after the first colon, so
 * {@code url:http://x} keeps its colons. Errors are {@link IllegalArgumentException}s quoting the bad part.
 * Stateless.
 */
public final class AttributeParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private AttributeParser() {}

  public static List<Attribute> parse(String text) {
    List<Attribute> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String raw : text.split(";")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon < 0) {
        throw bad(part, "expected name:value");
      }
      String name = part.substring(0, colon).trim();
      String value = part.substring(colon + 1).trim();
      if (!NAME.matcher(name).matches()) {
        throw bad(part, "invalid name '" + name + "'");
      }
      if (value.isEmpty()) {
        throw bad(part, "empty value");
      }
      if (!seen.add(name)) {
        throw bad(part, "attribute " + name + " is given twice");
      }
      out.add(Attribute.newBuilder().setName(name).setText(value).build());
    }
    return out;
  }

  private static IllegalArgumentException bad(String part, String why) {
    return new IllegalArgumentException("invalid attribute '" + part + "': " + why);
  }
}

package dev.corral.cli.role;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Resource amounts as the role and quota commands print and read them: "cpus:2,mem:1024". */
final class Amounts {
  private Amounts() {}

  /** {@code {"cpus": 2, "mem": 1024}} as "cpus:2,mem:1024"; "-" when empty. */
  static String text(JsonNode amounts) {
    List<String> parts = new ArrayList<>();
    amounts.fields().forEachRemaining(e -> parts.add(e.getKey() + ":" + number(e.getValue().asDouble())));
    return parts.isEmpty() ? "-" : String.join(",", parts);
  }

  /** "cpus:2,mem:1024" (or with ';') as a JSON object's text; throws IllegalArgumentException naming the flag. */
  static String json(String flag, String text) {
    StringBuilder out = new StringBuilder("{");
    for (String part : text.split("[,;]")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(flag + ": expected kind:amount (e.g. cpus:2,mem:1024), got '" + p + "'");
      }
      String kind = p.substring(0, colon).strip();
      double amount;
      try {
        amount = Double.parseDouble(p.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": not a number in '" + p + "'");
      }
      out.append(out.length() > 1 ? "," : "").append('"').append(kind).append("\":").append(amount);
    }
    return out.append('}').toString();
  }

  static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
  }
}

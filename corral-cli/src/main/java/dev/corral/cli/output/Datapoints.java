package dev.corral.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * A dcos-metrics body ({@code {"datapoints": [{"name", "value", "unit", "tags"}]}}) as a NAME VALUE UNIT
 * table. A datapoint's own tag {@code path} (filesystems) is shown after its name, since several share one.
 */
public final class Datapoints {
  private Datapoints() {}

  public static Table table(JsonNode body) {
    Table table = Table.withHeaders("NAME", "VALUE", "UNIT");
    for (JsonNode p : body.path("datapoints")) {
      String name = p.path("name").asText();
      String path = p.path("tags").path("path").asText("");
      table.row(path.isEmpty() ? name : name + " (" + path + ")", value(p.path("value")), p.path("unit").asText());
    }
    return table;
  }

  /** Whole numbers without a fraction, others with at most three decimals and no trailing zeros. */
  static String value(JsonNode v) {
    double d = v.asDouble();
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return new BigDecimal(d).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}

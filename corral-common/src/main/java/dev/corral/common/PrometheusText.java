package dev.corral.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): one {@code # HELP} and {@code # TYPE} per
 * metric family, then its samples, families in the order first added.
 *
 * <p>Why hand-written rather than a Micrometer registry: the values are sampled when scraped, per task,
 * and tasks come and go; a registry would need a gauge registered and later removed for every task and
 * counter, kept in step with the task table, for no gain over these fifty lines. Not thread-safe: one per
 * scrape.
 */
public final class PrometheusText {
  /** The {@code Content-Type} of the answer. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private record Family(String type, String help, List<String> lines) {}

  private final Map<String, Family> families = new LinkedHashMap<>();

  /**
   * Adds one sample.
   *
   * @param name a valid metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}); see {@link #sanitize}
   * @param type {@code counter} or {@code gauge}
   */
  public PrometheusText add(String name, String type, String help, Map<String, String> labels, double value) {
    Family f = families.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()));
    StringBuilder line = new StringBuilder(name);
    if (!labels.isEmpty()) {
      line.append('{');
      boolean first = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!first) {
          line.append(',');
        }
        first = false;
        line.append(sanitize(e.getKey())).append("=\"").append(escape(e.getValue())).append('"');
      }
      line.append('}');
    }
    f.lines().add(line.append(' ').append(format(value)).toString());
    return this;
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    families.forEach((name, f) -> {
      out.append("# HELP ").append(name).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      out.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
      f.lines().forEach(l -> out.append(l).append('\n'));
    });
    return out.toString();
  }

  /** A metric or label name from any text: characters outside {@code [a-zA-Z0-9_:]} become '_'. */
  public static String sanitize(String name) {
    StringBuilder s = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
          || (c >= '0' && c <= '9' && i > 0);
      s.append(ok ? c : '_');
    }
    return s.toString();
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

package dev.corral.agent.metrics;

import java.util.Map;

/**
 * One sampled value, before the agent's, task's and container's tags are added. Immutable.
 *
 * @param name dcos-metrics style, e.g. {@code cpus.user.time}
 * @param unit {@code seconds}, {@code bytes}, {@code percent}, {@code count} or {@code cpus}
 * @param counter whether it only grows (Prometheus {@code counter}); otherwise a gauge
 * @param tags tags of this value alone, e.g. {@code path} of a filesystem
 */
public record Metric(String name, double value, String unit, boolean counter, Map<String, String> tags) {
  public Metric {
    tags = Map.copyOf(tags);
  }

  public static Metric gauge(String name, double value, String unit) {
    return new Metric(name, value, unit, false, Map.of());
  }

  public static Metric counter(String name, double value, String unit) {
    return new Metric(name, value, unit, true, Map.of());
  }
}

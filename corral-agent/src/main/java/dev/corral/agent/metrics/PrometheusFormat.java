package dev.corral.agent.metrics;

import dev.corral.common.PrometheusText;
import java.util.List;
import java.util.Map;

/**
 * Samples as Prometheus metrics: {@code corral_node_…} and {@code corral_container_…}, named from the
 * dcos-metrics name plus the unit ({@code cpus.user.time} in seconds, a counter:
 * {@code corral_container_cpus_user_time_seconds_total}), labelled with the sample's tags (agent_id,
 * hostname; task_id, framework_id, app_id, container_id for containers). Stateless.
 */
final class PrometheusFormat {
  private PrometheusFormat() {}

  static String render(Sample node, List<Sample> containers) {
    PrometheusText text = new PrometheusText();
    add(text, "corral_node_", node);
    containers.forEach(c -> add(text, "corral_container_", c));
    return text.render();
  }

  private static void add(PrometheusText text, String prefix, Sample sample) {
    for (Metric m : sample.metrics()) {
      Map<String, String> labels = new java.util.LinkedHashMap<>(sample.tags());
      labels.putAll(m.tags());
      text.add(name(prefix, m), m.counter() ? "counter" : "gauge", m.name() + " (" + m.unit() + ")", labels,
          m.value());
    }
  }

  static String name(String prefix, Metric m) {
    String unit = switch (m.unit()) {
      case "seconds" -> "_seconds";
      case "bytes" -> "_bytes";
      case "percent" -> "_percent";
      default -> "";
    };
    return PrometheusText.sanitize(prefix + m.name().replace('.', '_') + unit + (m.counter() ? "_total" : ""));
  }
}

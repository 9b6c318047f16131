package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.common.Version;
import dev.corral.services.ServicesConfig;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.engine.ServicesView;

/**
 * Marathon's {@code /v2/info} (api-examples/info.json): the same keys, filled with what Corral knows. The
 * name is the framework name ("marathon" by default) because clients look for it; the version is Corral's.
 */
public final class InfoJson {
  private InfoJson() {}

  public static ObjectNode render(ServicesConfig config, ServicesView view) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("name", config.frameworkName());
    n.put("version", Version.get());
    n.put("buildref", "corral-" + Version.get());
    n.put("elected", true);
    n.put("leader", config.leaderAddress());
    if (view.frameworkId().isEmpty()) {
      n.putNull("frameworkId");
    } else {
      n.put("frameworkId", view.frameworkId());
    }
    ObjectNode m = n.putObject("marathon_config");
    m.putNull("access_control_allow_origin");
    m.put("checkpoint", true);
    m.put("decline_offer_duration", 120000);
    m.putNull("default_network_name");
    m.putNull("env_vars_prefix");
    m.put("executor", "//cmd");
    m.put("failover_timeout", 604800);
    m.putArray("features");
    m.put("framework_name", config.frameworkName());
    m.put("ha", true);
    m.put("hostname", config.hostname());
    m.put("launch_token", 100);
    m.put("launch_token_refresh_interval", 30000);
    m.put("leader_proxy_connection_timeout_ms", 5000);
    m.put("leader_proxy_read_timeout_ms", 10000);
    m.put("local_port_max", AppNormalizer.SERVICE_PORT_MAX);
    m.put("local_port_min", AppNormalizer.SERVICE_PORT_MIN);
    m.put("master", "corral");
    m.put("max_instances_per_offer", Integer.MAX_VALUE);
    m.put("mesos_bridge_name", "mesos-bridge");
    m.put("mesos_heartbeat_failure_threshold", 5);
    m.put("mesos_heartbeat_interval", 15000);
    m.putNull("mesos_leader_ui_url");
    m.put("mesos_role", config.role());
    m.put("mesos_user", config.user());
    m.put("min_revive_offers_interval", dev.corral.services.engine.Engine.MIN_REVIVE_INTERVAL.toMillis());
    m.put("offer_matching_timeout", 3000);
    m.put("on_elected_prepare_timeout", 180000);
    m.put("reconciliation_initial_delay", 0);
    m.put("reconciliation_interval", 600000);
    m.put("revive_offers_for_new_apps", true);
    m.put("revive_offers_repetitions", 1);
    m.put("scale_apps_initial_delay", 0);
    m.put("scale_apps_interval", 0);
    m.put("store_cache", true);
    m.put("task_launch_confirm_timeout", 300000);
    m.put("task_launch_timeout", 300000);
    m.put("task_lost_expunge_initial_delay", 300000);
    m.put("task_lost_expunge_interval", 30000);
    m.put("task_reservation_timeout", 20000);
    m.putNull("webui_url");
    ObjectNode zk = n.putObject("zookeeper_config");
    zk.putNull("zk");
    zk.put("zk_compression", false);
    zk.put("zk_compression_threshold", 65536);
    zk.put("zk_connection_timeout", 10000);
    zk.put("zk_max_node_size", 1024000);
    zk.put("zk_max_versions", 50);
    zk.put("zk_session_timeout", 10000);
    zk.put("zk_timeout", 10000);
    ObjectNode http = n.putObject("http_config");
    http.put("http_port", port(config.leaderAddress()));
    http.put("https_port", 8443);
    return n;
  }

  private static int port(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return colon < 0 ? 8080 : Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 8080;
    }
  }
}

package dev.corral.services.placement;

import dev.corral.api.v1.CheckProtocol;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.HealthCheck;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.app.ReadinessCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves an app's health and readiness checks for one task, for the agent that runs them: a port index or
 * port name becomes the task's host port, and zero intervals and timeouts become one second (a zero would
 * have the agent probe without pause). Pure.
 */
final class CheckInfos {
  private CheckInfos() {}

  static List<dev.corral.api.v1.HealthCheck> health(AppDefinition app, List<Integer> hostPorts) {
    List<dev.corral.api.v1.HealthCheck> out = new ArrayList<>();
    for (HealthCheck c : app.healthChecks()) {
      dev.corral.api.v1.HealthCheck.Builder b = dev.corral.api.v1.HealthCheck.newBuilder()
          .setProtocol(protocol(c.protocol()))
          .setGracePeriodSeconds(c.gracePeriodSeconds())
          .setIntervalSeconds(Math.max(1, c.intervalSeconds()))
          .setTimeoutSeconds(Math.max(1, c.timeoutSeconds()))
          .setMaxConsecutiveFailures(c.maxConsecutiveFailures())
          .setDelaySeconds(c.delaySeconds())
          .setIgnoreHttp1Xx(c.ignoreHttp1xx())
          .setIpv6("IPv6".equals(c.ipProtocol()));
      if (c.protocol() == HealthCheck.Protocol.COMMAND) {
        b.setCommand(c.command() == null ? "" : c.command());
      } else {
        Integer port = c.port() != null ? c.port()
            : c.portIndex() != null && c.portIndex() < hostPorts.size() ? hostPorts.get(c.portIndex()) : null;
        if (port == null) {
          continue; // validation forbids it; a check of no port cannot run
        }
        b.setPort(port);
        if (c.protocol().http()) {
          b.setPath(c.path());
        }
      }
      out.add(b.build());
    }
    return out;
  }

  static List<dev.corral.api.v1.ReadinessCheck> readiness(AppDefinition app, List<Integer> hostPorts) {
    List<dev.corral.api.v1.ReadinessCheck> out = new ArrayList<>();
    List<PortDefinition> defs = app.portDefinitions();
    for (ReadinessCheck c : app.readinessChecks()) {
      int index = -1;
      for (int i = 0; i < defs.size(); i++) {
        if (c.portName().equals(defs.get(i).name())) {
          index = i;
          break;
        }
      }
      if (index < 0 || index >= hostPorts.size()) {
        continue; // validation forbids it
      }
      out.add(dev.corral.api.v1.ReadinessCheck.newBuilder()
          .setName(c.name())
          .setProtocol("HTTPS".equals(c.protocol()) ? CheckProtocol.CHECK_HTTPS : CheckProtocol.CHECK_HTTP)
          .setPort(hostPorts.get(index))
          .setPath(c.path())
          .setIntervalSeconds(Math.max(1, c.intervalSeconds()))
          .setTimeoutSeconds(Math.max(1, c.timeoutSeconds()))
          .addAllHttpStatusCodesForReady(c.httpStatusCodesForReady())
          .build());
    }
    return out;
  }

  private static CheckProtocol protocol(HealthCheck.Protocol p) {
    switch (p) {
      case HTTP:
      case MESOS_HTTP:
        return CheckProtocol.CHECK_HTTP;
      case HTTPS:
      case MESOS_HTTPS:
        return CheckProtocol.CHECK_HTTPS;
      case TCP:
      case MESOS_TCP:
        return CheckProtocol.CHECK_TCP;
      default:
        return CheckProtocol.CHECK_COMMAND;
    }
  }
}

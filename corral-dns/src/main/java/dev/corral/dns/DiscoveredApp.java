package dev.corral.dns;

import java.util.List;

/**
 * What discovery knows of one app: its ports and its tasks, as read from the service scheduler. Immutable.
 *
 * @param healthChecks whether the app has health checks, so that only healthy tasks serve its VIPs
 */
public record DiscoveredApp(String appId, List<Port> ports, boolean healthChecks, List<Task> tasks) {
  public DiscoveredApp {
    ports = List.copyOf(ports);
    tasks = List.copyOf(tasks);
  }

  /**
   * One port of the app's tasks.
   *
   * @param index its position in each task's host ports
   * @param name its name, null when it has none
   * @param protocol "tcp", "udp" or "udp,tcp"
   */
  public record Port(int index, String name, String protocol, List<Vip> vips) {
    public Port {
      vips = List.copyOf(vips);
    }
  }

  /**
   * One task.
   *
   * @param host the agent's host name
   * @param ip the host's IPv4 address; null when the name did not resolve
   * @param ip6 the host's IPv6 address (AAAA records); null when it has none
   * @param running whether its last state is TASK_RUNNING
   * @param healthy null while unknown or without health checks
   * @param containerIps the task's own addresses on a container network; empty on the host's network
   */
  public record Task(String taskId, String host, String ip, String ip6, List<Integer> hostPorts, boolean running,
      Boolean healthy, List<String> containerIps) {
    public Task {
      hostPorts = List.copyOf(hostPorts);
      containerIps = containerIps == null ? List.of() : List.copyOf(containerIps);
    }

    /** A task on the host's network. */
    public Task(String taskId, String host, String ip, String ip6, List<Integer> hostPorts, boolean running,
        Boolean healthy) {
      this(taskId, host, ip, ip6, hostPorts, running, healthy, List.of());
    }

    /** A task on an IPv4-only host. */
    public Task(String taskId, String host, String ip, List<Integer> hostPorts, boolean running, Boolean healthy) {
      this(taskId, host, ip, null, hostPorts, running, healthy);
    }
  }

  /** Running tasks with an address: those DNS names. */
  public List<Task> addressable() {
    return tasks.stream().filter(t -> t.running() && (t.ip() != null || t.ip6() != null
        || !t.containerIps().isEmpty())).toList();
  }

  /** Running, addressable tasks that are healthy when the app checks health: those a VIP balances over. */
  public List<Task> serving() {
    return addressable().stream().filter(t -> t.ip() != null).filter(t -> !healthChecks || Boolean.TRUE.equals(t.healthy())).toList();
  }
}

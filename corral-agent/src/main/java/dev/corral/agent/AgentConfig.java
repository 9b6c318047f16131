package dev.corral.agent;

import dev.corral.agent.containerizer.ProcessContainerizer;
import dev.corral.agent.fetch.FetcherConfig;
import dev.corral.agent.net.Subnet;
import dev.corral.agent.oci.ContainerizerSetup;
import dev.corral.agent.oci.OciRuntime;
import dev.corral.agent.resources.AttributeParser;
import dev.corral.agent.resources.ResourceParser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one agent runs. Immutable; validated on construction so that a bad {@code --resources} or
 * {@code --attributes} string fails when the launcher parses its flags, with a message naming the bad part.
 *
 * @param workDir where the agent keeps its checkpoint ({@code meta/}), task sandboxes ({@code sandboxes/}),
 *     the task monitor script ({@code bin/}), the fetch cache ({@code fetch-cache/}) and, unless configured
 *     elsewhere, the Maven local repository ({@code maven/})
 * @param hostname the name the agent registers with and gives tasks as {@code HOST}
 * @param resources overrides of detected resources, e.g. {@code cpus:4;mem:8192;ports:[20000-21000]};
 *     null detects everything
 * @param attributes {@code rack:r1;zone:a}, or null for none
 * @param killGracePeriod time between SIGTERM and SIGKILL when a task does not name its own
 * @param cgroupsEnabled false runs tasks without cgroups even where they are available
 * @param heartbeatInterval how often the agent heartbeats the master while connected
 * @param statusRetryInterval how long an unacknowledged status update waits before it is resent (then twice as
 *     long each time, up to 60 intervals)
 * @param fetcher how artifacts are fetched (Maven repositories, cache size); null: the defaults
 * @param containerizers {@code oci}, {@code process}, in order of preference; null picks {@code oci,process}
 *     where an OCI runtime, root and cgroups are available, else {@code process}
 * @param ociRuntime {@code runc} (null: the default) or {@code crun}
 * @param containerNetwork the CIDR range of container networking's bridge and addresses (null:
 *     {@value dev.corral.agent.net.Subnet#DEFAULT})
 * @param dns the DNS server OCI tasks get as their {@code resolv.conf} nameserver (an IP; resolv.conf has no
 *     port, so it must answer on 53); null: the host's resolv.conf
 * @param allowPrivileged whether tasks may run in privileged containers (Marathon's {@code docker.privileged}:
 *     every capability and device, the host's {@code /dev} and a writable {@code /sys}); off unless the
 *     operator turns it on ({@code --allow-privileged}), as Kubernetes' Pod Security does
 */
public record AgentConfig(
    Path workDir,
    String hostname,
    String resources,
    String attributes,
    Duration killGracePeriod,
    boolean cgroupsEnabled,
    Duration heartbeatInterval,
    Duration statusRetryInterval,
    FetcherConfig fetcher,
    List<String> containerizers,
    String ociRuntime,
    String containerNetwork,
    String dns,
    boolean allowPrivileged) {

  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_STATUS_RETRY = Duration.ofSeconds(10);

  public AgentConfig {
    Objects.requireNonNull(workDir, "workDir");
    workDir = workDir.toAbsolutePath().normalize();
    if (hostname == null || hostname.isBlank()) {
      hostname = localHostname();
    }
    killGracePeriod = positiveOr(killGracePeriod, DEFAULT_KILL_GRACE, "killGracePeriod");
    heartbeatInterval = positiveOr(heartbeatInterval, DEFAULT_HEARTBEAT, "heartbeatInterval");
    statusRetryInterval = positiveOr(statusRetryInterval, DEFAULT_STATUS_RETRY, "statusRetryInterval");
    if (resources != null) {
      ResourceParser.parse(resources); // fail early; the agent parses again when it starts
    }
    if (attributes != null) {
      AttributeParser.parse(attributes);
    }
    if (fetcher == null) {
      fetcher = FetcherConfig.defaults();
    }
    if (containerizers != null) {
      containerizers = ContainerizerSetup.parse(String.join(",", containerizers));
    }
    ociRuntime = ociRuntime == null ? OciRuntime.RUNC : ociRuntime;
    if (!ociRuntime.equals(OciRuntime.RUNC) && !ociRuntime.equals(OciRuntime.CRUN)) {
      throw new IllegalArgumentException("unknown OCI runtime '" + ociRuntime + "' (known: runc, crun)");
    }
    containerNetwork = Subnet.parse(containerNetwork == null ? Subnet.DEFAULT : containerNetwork).toString();
  }

  /**
   * Detected resources, no attributes, cgroups where available, the default intervals, and the
   * {@code process} containerizer: embedders opt into containers; {@code corral agent} detects them.
   */
  public static AgentConfig defaults(Path workDir) {
    return new AgentConfig(workDir, null, null, null, DEFAULT_KILL_GRACE, true, DEFAULT_HEARTBEAT,
        DEFAULT_STATUS_RETRY, null, List.of(ProcessContainerizer.NAME), null, null, null, false);
  }

  /** {@code null} detects: {@code oci,process} where containers work here, else {@code process}. */
  public AgentConfig withContainerizers(List<String> value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, value, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withDns(String value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, value, allowPrivileged);
  }

  public AgentConfig withOciRuntime(String value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, value, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withContainerNetwork(String value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, value, dns, allowPrivileged);
  }

  public AgentConfig withHostname(String value) {
    return new AgentConfig(workDir, value, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withResources(String value) {
    return new AgentConfig(workDir, hostname, value, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withAttributes(String value) {
    return new AgentConfig(workDir, hostname, resources, value, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withKillGracePeriod(Duration value) {
    return new AgentConfig(workDir, hostname, resources, attributes, value, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withCgroupsEnabled(boolean value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, value,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withHeartbeatInterval(Duration value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        value, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withStatusRetryInterval(Duration value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, value, fetcher, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withFetcher(FetcherConfig value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, value, containerizers, ociRuntime, containerNetwork, dns, allowPrivileged);
  }

  public AgentConfig withAllowPrivileged(boolean value) {
    return new AgentConfig(workDir, hostname, resources, attributes, killGracePeriod, cgroupsEnabled,
        heartbeatInterval, statusRetryInterval, fetcher, containerizers, ociRuntime, containerNetwork, dns, value);
  }

  private static Duration positiveOr(Duration value, Duration fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}

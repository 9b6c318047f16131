package dev.corral.services;

import dev.corral.services.placement.GpuSchedulingBehavior;
import dev.corral.services.placement.TaskApi;
import java.util.Objects;

/**
 * How the service scheduler presents itself to the master and to API clients, and how it places tasks.
 *
 * @param frameworkName the framework name registered with the master; "marathon" so that tools which look
 *     for Marathon's framework find it
 * @param role the role whose resources the scheduler accepts besides unreserved ("*") ones, and for which resident
 *     apps reserve
 * @param user the default user tasks run as; "" lets the agent run them as its own user
 * @param hostname the host name reported in the framework info and in {@code /v2/info}
 * @param leaderAddress {@code host:port} of this API, shown by {@code /v2/info} and {@code /v2/leader}
 * @param gpuSchedulingBehavior whether apps that ask for no GPUs may run on agents that offer GPUs
 *     (Marathon's {@code --gpu_scheduling_behavior}, default restricted)
 * @param taskApi how tasks reach the API ({@code CORRAL_URL}); plain HTTP at {@code leaderAddress} by default
 */
public record ServicesConfig(String frameworkName, String role, String user, String hostname, String leaderAddress,
    GpuSchedulingBehavior gpuSchedulingBehavior, TaskApi taskApi) {

  /** The role of DC/OS's Marathon: that of public agents' reserved resources, and of resident apps' reservations. */
  public static final String DEFAULT_ROLE = "slave_public";

  public ServicesConfig {
    Objects.requireNonNull(frameworkName, "frameworkName");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(leaderAddress, "leaderAddress");
    Objects.requireNonNull(gpuSchedulingBehavior, "gpuSchedulingBehavior");
    Objects.requireNonNull(taskApi, "taskApi");
  }

  /**
   * Marathon's defaults as DC/OS sets them: framework "marathon", role "slave_public" (apps still take only
   * unreserved resources unless they name the role in {@code acceptedResourceRoles}; resident apps reserve for
   * it), tasks run as the agent's user, GPUs restricted.
   */
  public static ServicesConfig defaults(String hostname, String leaderAddress) {
    return new ServicesConfig("marathon", DEFAULT_ROLE, "", hostname, leaderAddress, GpuSchedulingBehavior.RESTRICTED,
        TaskApi.plain(leaderAddress));
  }

  public ServicesConfig withGpuSchedulingBehavior(GpuSchedulingBehavior value) {
    return new ServicesConfig(frameworkName, role, user, hostname, leaderAddress, value, taskApi);
  }

  /** Tasks reach the API this way instead (https with the cluster CA when the gateway serves TLS). */
  public ServicesConfig withTaskApi(TaskApi value) {
    return new ServicesConfig(frameworkName, role, user, hostname, leaderAddress, gpuSchedulingBehavior, value);
  }
}

package dev.corral.services;

import java.util.Objects;

/**
 * How the service scheduler presents itself to the master and to API clients.
 *
 * @param frameworkName the framework name registered with the master; "marathon" so that tools which look
 *     for Marathon's framework find it
 * @param role the role whose resources the scheduler accepts besides unreserved ("*") ones
 * @param user the default user tasks run as; "" lets the agent run them as its own user
 * @param hostname the host name reported in the framework info and in {@code /v2/info}
 * @param leaderAddress {@code host:port} of this API, shown by {@code /v2/info} and {@code /v2/leader}
 */
public record ServicesConfig(String frameworkName, String role, String user, String hostname, String leaderAddress) {

  public ServicesConfig {
    Objects.requireNonNull(frameworkName, "frameworkName");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(leaderAddress, "leaderAddress");
  }

  /** Marathon's defaults: framework "marathon", role "*", tasks run as the agent's user. */
  public static ServicesConfig defaults(String hostname, String leaderAddress) {
    return new ServicesConfig("marathon", "*", "", hostname, leaderAddress);
  }
}

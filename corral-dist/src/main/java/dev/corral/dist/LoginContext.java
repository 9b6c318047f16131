package dev.corral.dist;

import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import dev.corral.dist.node.MasterNode;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code corral up} and {@code corral master} leave for their user on start: a CLI context for the
 * cluster's address holding an administrator's token (so that {@code corral …} works at once), the first
 * administrator's password on a new cluster (shown once, and kept beside the context with mode 600), and
 * how to log in to the web UI.
 */
final class LoginContext {
  /** Long enough for a development cluster; {@code corral auth login} gets a fresh one. */
  static final Duration TOKEN_TTL = Duration.ofDays(30);

  private LoginContext() {}

  /**
   * @param ca the PEM of the cluster's CA when the gateway serves https with it; null otherwise
   */
  static List<String> write(MasterNode master, String url, String ca, String agentsAddress) {
    List<String> out = new ArrayList<>();
    CliConfig config = CliConfig.fromEnvironment(System::getenv);
    String name = CliConfig.nameFor(url);
    if (!master.authentication()) {
      config.put(new ClusterContext(name, url, null, null, ca, agentsAddress));
      config.setCurrent(name);
      out.add(String.format("  Auth:       OFF (--no-auth): anyone who reaches %s may do anything", url));
      return out;
    }
    String token = master.issueToken(MasterNode.ADMIN, TOKEN_TTL).orElseThrow();
    config.put(new ClusterContext(name, url, MasterNode.ADMIN, token, ca, agentsAddress));
    // for `corral agent --master ADDRESS` run by this user on this machine: the secret without --secret-file
    config.putSecret(name, "cluster-secret", master.clusterSecret().value());
    config.setCurrent(name);
    String password = master.adminPassword();
    if (password != null) {
      Path kept = config.putSecret(name, "admin-password", password);
      out.add(String.format("  Auth:       new cluster: web UI login '%s', password %s (shown once; kept in %s)",
          MasterNode.ADMIN, password, kept));
    } else {
      out.add(String.format("  Auth:       on; web UI login '%s' (its first password is kept in %s)", MasterNode.ADMIN,
          config.dir().resolve("clusters").resolve(name + ".admin-password")));
    }
    out.add(String.format("  CLI:        context '%s' in %s holds an admin token (corral auth login for another"
        + " user)", name, config.dir()));
    return out;
  }
}

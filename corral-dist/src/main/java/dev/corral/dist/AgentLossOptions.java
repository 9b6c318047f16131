package dev.corral.dist;

import dev.corral.master.MasterConfig;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How `corral master` notices lost agents (docs/operations.md). */
public final class AgentLossOptions {
  @Option(names = "--agent-timeout", paramLabel = "DURATION", defaultValue = "9s",
      description = "An agent silent this long is lost and its tasks become UNREACHABLE (default: ${DEFAULT-VALUE};"
          + " e.g. 5s, 1m).")
  String agentTimeout;

  @Option(names = "--agent-reregister-timeout", paramLabel = "DURATION", defaultValue = "10m",
      description = "An agent gone longer than this is told to kill its tasks when it returns; after a master start,"
          + " agents not back by then are unreachable (default: ${DEFAULT-VALUE}).")
  String reregisterTimeout;

  MasterConfig apply(MasterConfig config) {
    return config.withAgentHeartbeatTimeout(parse("--agent-timeout", agentTimeout))
        .withAgentReregisterTimeout(parse("--agent-reregister-timeout", reregisterTimeout));
  }

  /** "500ms", "9s", "2m", "1h", or plain seconds. */
  static Duration parse(String flag, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      } else if (t.endsWith("h")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(flag + ": must be positive, got " + text);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a duration (e.g. 9s, 2m): " + text, e);
    }
  }
}

package dev.corral.gateway.auth;

import java.util.List;
import java.util.Optional;

/**
 * Who made a request and what they may do, resolved once per request from a verified token and the
 * directory's snapshot. Immutable.
 *
 * @param jti the token's id (for logout); null for the anonymous principal of a cluster without authentication
 */
public record Principal(String uid, String jti, java.time.Instant expires, boolean superuser,
    List<Directory.Grant> grants) {
  public Principal {
    grants = List.copyOf(grants);
  }

  /** Everyone is this when authentication is off. */
  public static final Principal ANONYMOUS_SUPERUSER = new Principal("anonymous", null, null, true, List.of());

  public boolean allows(String resource, String action) {
    if (superuser) {
      return true;
    }
    for (Directory.Grant g : grants) {
      if (Permissions.covers(g.rid(), resource) && Permissions.allowsAction(g.actions(), action)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some grant of {@code action} lies under {@code prefix} (may list at least part of it). */
  public boolean allowsSomethingUnder(String prefix, String action) {
    if (superuser) {
      return true;
    }
    return grants.stream().anyMatch(g -> Permissions.coversSomethingUnder(g.rid(), prefix)
        && Permissions.allowsAction(g.actions(), action));
  }

  /** The first of {@code needed} not allowed, if any. */
  public Optional<Requirement.Needed> missing(List<Requirement.Needed> needed) {
    return needed.stream().filter(n -> !allows(n.resource(), n.action())).findFirst();
  }
}

package dev.corral.gateway.auth;

import java.util.List;

/** What a request needs, as decided by {@link RouteRules}. */
public sealed interface Requirement {
  /** Anyone, logged in or not (the login page and API, the UI's files). */
  record Public() implements Requirement {}

  /** Any logged-in caller. */
  record Authenticated() implements Requirement {}

  /** Every one of these permissions (resource with action). */
  record Permission(List<Needed> needed) implements Requirement {
    public Permission {
      needed = List.copyOf(needed);
    }
  }

  /**
   * Some grant of {@code action} under {@code prefix} (a listing); the answer is then filtered to what the
   * caller may read.
   */
  record Listing(String prefix, String action) implements Requirement {}

  /**
   * A task's route: {@code clusterWide}, or {@code action} on {@code perApp:<id>} for the app or pod the
   * task belongs to. Before the route runs, the caller must hold one or the other for some app (else 403);
   * the route then decides for the task it found (the gateway's {@code AccessCheck}).
   */
  record PerTask(Needed clusterWide, String perApp) implements Requirement {}

  record Needed(String resource, String action) {}

  Requirement PUBLIC = new Public();
  Requirement AUTHENTICATED = new Authenticated();

  static Requirement of(String resource, String action) {
    return new Permission(List.of(new Needed(resource, action)));
  }
}

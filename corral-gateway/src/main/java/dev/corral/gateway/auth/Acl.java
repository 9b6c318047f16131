package dev.corral.gateway.auth;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who may do what on one resource pattern ({@code rid}, e.g. {@code corral:service:marathon:/prod/*}):
 * actions per user and per group, as stored under {@code /auth/acls/<rid>}. Immutable.
 */
public record Acl(String rid, String description, Map<String, Set<String>> users, Map<String, Set<String>> groups) {
  public Acl {
    users = copy(users);
    groups = copy(groups);
  }

  public static Acl empty(String rid) {
    return new Acl(rid, "", Map.of(), Map.of());
  }

  /** With {@code action} added to (or removed from) what {@code subject} (a uid, or a gid when {@code group}) may do. */
  public Acl with(boolean group, String subject, String action, boolean granted) {
    Map<String, Set<String>> target = new TreeMap<>(group ? groups : users);
    Set<String> actions = new TreeSet<>(target.getOrDefault(subject, Set.of()));
    if (granted) {
      actions.add(action);
    } else {
      actions.remove(action);
    }
    if (actions.isEmpty()) {
      target.remove(subject);
    } else {
      target.put(subject, actions);
    }
    return group ? new Acl(rid, description, users, target) : new Acl(rid, description, target, groups);
  }

  /** Without any entry for {@code subject}. */
  public Acl without(boolean group, String subject) {
    Map<String, Set<String>> target = new TreeMap<>(group ? groups : users);
    target.remove(subject);
    return group ? new Acl(rid, description, users, target) : new Acl(rid, description, target, groups);
  }

  public boolean isEmpty() {
    return users.isEmpty() && groups.isEmpty();
  }

  private static Map<String, Set<String>> copy(Map<String, Set<String>> m) {
    if (m == null) {
      return Map.of();
    }
    Map<String, Set<String>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, Set.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }
}

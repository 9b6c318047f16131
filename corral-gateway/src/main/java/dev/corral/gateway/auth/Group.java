package dev.corral.gateway.auth;

import java.util.Set;
import java.util.TreeSet;

/** A group of accounts, as stored under {@code /auth/groups/<gid>}. Immutable. */
public record Group(String gid, String description, Set<String> members) {
  public Group {
    members = members == null ? Set.of() : Set.copyOf(members);
  }

  public Group withMember(String uid, boolean member) {
    Set<String> next = new TreeSet<>(members);
    if (member) {
      next.add(uid);
    } else {
      next.remove(uid);
    }
    return new Group(gid, description, next);
  }
}

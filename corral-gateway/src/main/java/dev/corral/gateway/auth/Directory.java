package dev.corral.gateway.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.common.Json;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Accounts, groups, ACLs and revoked token ids, kept in the store (hard state: {@code /auth/users},
 * {@code /auth/groups}, {@code /auth/acls}, {@code /auth/revoked}) and served from an immutable in-memory
 * {@link Snapshot} so that a request's check reads no store.
 *
 * <p>Threads: every write runs on one writer thread (read, change, commit, then re-read the snapshot), so
 * read-modify-write of a node never races; requests read the current snapshot from any thread. The same
 * thread re-reads the store every few seconds so that changes made through another master show up.
 */
public final class Directory implements AutoCloseable {
  static final String ROOT = "/auth";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.@-]{0,63}");
  private static final ObjectMapper JSON = Json.mapper();

  /** Everything a check needs, read at one moment. */
  public record Snapshot(Map<String, Account> accounts, Map<String, Group> groups, Map<String, Acl> acls,
      Map<String, Instant> revoked) {
    public Snapshot {
      accounts = Map.copyOf(accounts);
      groups = Map.copyOf(groups);
      acls = Map.copyOf(acls);
      revoked = Map.copyOf(revoked);
    }

    /** What {@code uid} may do: its own ACL entries and those of its groups, as (pattern, actions) pairs. */
    public List<Grant> grantsOf(String uid) {
      List<String> gids = groups.values().stream().filter(g -> g.members().contains(uid)).map(Group::gid).toList();
      List<Grant> out = new ArrayList<>();
      for (Acl acl : acls.values()) {
        Set<String> own = acl.users().get(uid);
        if (own != null) {
          out.add(new Grant(acl.rid(), own, "user " + uid));
        }
        for (String gid : gids) {
          Set<String> viaGroup = acl.groups().get(gid);
          if (viaGroup != null) {
            out.add(new Grant(acl.rid(), viaGroup, "group " + gid));
          }
        }
      }
      return out;
    }
  }

  /** One granted resource pattern with its actions, and where it came from (for messages). */
  public record Grant(String rid, Set<String> actions, String via) {}

  private final Store store;
  private final Clock clock;
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "auth-directory");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<Snapshot> current = new AtomicReference<>();

  public Directory(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
    current.set(read());
  }

  /** Re-reads the store every {@code seconds} (changes made through another master). */
  public Directory refreshEvery(long seconds) {
    writer.scheduleWithFixedDelay(() -> current.set(read()), seconds, seconds, TimeUnit.SECONDS);
    return this;
  }

  public Snapshot snapshot() {
    return current.get();
  }

  /** Checks a uid or gid: 1–64 lower-case letters, digits and {@code _.@-}, starting with a letter or digit. */
  public static String validateName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("must be 1-64 lower-case letters, digits, '_', '.', '@' or '-', starting with"
          + " a letter or digit");
    }
    return name;
  }

  public Optional<Account> account(String uid) {
    return Optional.ofNullable(snapshot().accounts().get(uid));
  }

  public void putAccount(Account account) {
    write(() -> List.of(StoreOp.put(path("users", account.uid()), bytes(account))));
  }

  /** Removes the account, its group memberships and its ACL entries. */
  public void removeAccount(String uid) {
    write(() -> {
      List<StoreOp> ops = new ArrayList<>();
      ops.add(StoreOp.delete(path("users", uid)));
      Snapshot s = read();
      for (Group g : s.groups().values()) {
        if (g.members().contains(uid)) {
          ops.add(StoreOp.put(path("groups", g.gid()), bytes(g.withMember(uid, false))));
        }
      }
      for (Acl acl : s.acls().values()) {
        if (acl.users().containsKey(uid)) {
          ops.add(aclOp(acl.without(false, uid)));
        }
      }
      return ops;
    });
  }

  public void putGroup(Group group) {
    write(() -> List.of(StoreOp.put(path("groups", group.gid()), bytes(group))));
  }

  public void removeGroup(String gid) {
    write(() -> {
      List<StoreOp> ops = new ArrayList<>();
      ops.add(StoreOp.delete(path("groups", gid)));
      for (Acl acl : read().acls().values()) {
        if (acl.groups().containsKey(gid)) {
          ops.add(aclOp(acl.without(true, gid)));
        }
      }
      return ops;
    });
  }

  /** Adds or removes a member; the group must exist. */
  public void setMember(String gid, String uid, boolean member) {
    write(() -> {
      Group g = read().groups().get(gid);
      if (g == null) {
        throw new IllegalArgumentException("no group '" + gid + "'");
      }
      return List.of(StoreOp.put(path("groups", gid), bytes(g.withMember(uid, member))));
    });
  }

  /** Grants or takes back {@code action} on {@code rid} for a user ({@code group} false) or a group. */
  public void setPermission(String rid, boolean group, String subject, String action, boolean granted) {
    write(() -> {
      Acl acl = read().acls().getOrDefault(rid, Acl.empty(rid));
      return List.of(aclOp(acl.with(group, subject, action, granted)));
    });
  }

  /** Remembers a token id as revoked until {@code expires} (after which the token is refused anyway). */
  public void revokeToken(String jti, Instant expires) {
    write(() -> List.of(StoreOp.put(path("revoked", jti),
        bytes(Map.of("expires", expires.getEpochSecond())))));
  }

  // Runs on the writer thread; the ops are computed there from a fresh read, committed, then re-read.
  private void write(Supplier<List<StoreOp>> change) {
    try {
      writer.submit(() -> {
        store.commitAndWait(change.get());
        current.set(read());
        return null;
      }).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private StoreOp aclOp(Acl acl) {
    String p = path("acls", acl.rid());
    return acl.isEmpty() ? StoreOp.delete(p) : StoreOp.put(p, bytes(acl));
  }

  private Snapshot read() {
    Map<String, Account> accounts = new HashMap<>();
    for (String name : store.children(ROOT + "/users")) {
      store.get(ROOT + "/users/" + name).ifPresent(b -> put(accounts, parse(b, Account.class), Account::uid));
    }
    Map<String, Group> groups = new HashMap<>();
    for (String name : store.children(ROOT + "/groups")) {
      store.get(ROOT + "/groups/" + name).ifPresent(b -> put(groups, parse(b, Group.class), Group::gid));
    }
    Map<String, Acl> acls = new HashMap<>();
    for (String name : store.children(ROOT + "/acls")) {
      store.get(ROOT + "/acls/" + name).ifPresent(b -> put(acls, parse(b, Acl.class), Acl::rid));
    }
    Map<String, Instant> revoked = new HashMap<>();
    Instant now = clock.instant();
    List<StoreOp> expired = new ArrayList<>();
    for (String name : store.children(ROOT + "/revoked")) {
      store.get(ROOT + "/revoked/" + name).ifPresent(b -> {
        Instant until = Instant.ofEpochSecond(parse(b, Map.class).get("expires") instanceof Number n ? n.longValue() : 0);
        if (until.isBefore(now)) {
          expired.add(StoreOp.delete(ROOT + "/revoked/" + name));
        } else {
          revoked.put(StorePaths.unsegment(name), until);
        }
      });
    }
    if (!expired.isEmpty()) {
      store.commit(expired); // housekeeping; a failure only leaves them for the next read
    }
    return new Snapshot(accounts, groups, acls, revoked);
  }

  private static <T> void put(Map<String, T> into, T value, java.util.function.Function<T, String> key) {
    if (value != null) {
      into.put(key.apply(value), value);
    }
  }

  private static String path(String kind, String name) {
    return ROOT + "/" + kind + "/" + StorePaths.segment(name);
  }

  private static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T parse(byte[] bytes, Class<T> type) {
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException e) {
      return null; // an unreadable node is skipped rather than locking everyone out
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}

package dev.corral.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The cluster's secrets: named values (a password, a key file) that tasks get as environment variables or
 * files without their definitions holding them. One node per secret under {@value #ROOT}, named by the
 * secret's path as one segment ({@code db%2Fpassword}, {@link StorePaths#segment}), so that listing is one
 * read and a secret {@code db} and a secret {@code db/password} can both exist. The value is stored as given, unencrypted: ZooKeeper's access
 * is what protects it (as etcd's does for Kubernetes' secrets by default). Thread-safe.
 */
public final class SecretStore {
  public static final String ROOT = "/secrets";
  /** Well under a ZooKeeper request's 1 MB, with room for the rest of a commit. */
  public static final int MAX_VALUE_BYTES = 256 * 1024;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Store store;

  public SecretStore(Store store) {
    this.store = store;
  }

  /** What is wrong with a secret path, or null when it is fine: segments of letters, digits, {@code _.-}. */
  public static String problem(String path) {
    if (path == null || path.isEmpty()) {
      return "a secret path must not be empty";
    }
    if (path.length() > 255) {
      return "a secret path has at most 255 characters";
    }
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        return "'" + path + "' is not a secret path: segments of letters, digits, '_', '.' and '-' separated"
            + " by single '/', e.g. db/password";
      }
    }
    return null;
  }

  /**
   * Why the app, pod or job at {@code owner} (a path such as {@code /team-a/web}) may not use the secret at
   * {@code path}, or null when it may: a top-level secret ({@code ca-cert}) serves every owner; one under a
   * path ({@code team-a/db}) only the owners at or below that path, as in DC/OS. So whoever may create apps
   * in {@code /team-a} reaches {@code team-a/…} secrets and no other team's.
   */
  public static String outsideNamespace(String owner, String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return null;
    }
    String namespace = "/" + path.substring(0, slash);
    if (owner.equals(namespace) || owner.startsWith(namespace + "/")) {
      return null;
    }
    return "the secret " + path + " is in the namespace " + namespace + ", which " + owner
        + " is not in: use top-level secrets and those under " + owner + " (e.g. " + owner.substring(1)
        + "/password)";
  }

  /** A secret's path as apps, pods and jobs name it ({@code source}): Marathon writes {@code /db/password}. */
  public static String pathOf(String source) {
    return source.startsWith("/") ? source.substring(1) : source;
  }

  /**
   * What is wrong with the {@code source} an app, pod or job at {@code owner} names: not a path
   * ({@link #problem}), or a secret outside the owner's namespace ({@link #outsideNamespace}); null when it
   * is fine. A null owner (its id is itself invalid) leaves the namespace unchecked.
   */
  public static String sourceProblem(String owner, String source) {
    String path = pathOf(source);
    String problem = problem(path);
    return problem != null || owner == null ? problem : outsideNamespace(owner, path);
  }

  public Optional<byte[]> get(String path) {
    return store.get(node(path));
  }

  public boolean exists(String path) {
    return get(path).isPresent();
  }

  /** The paths of all secrets under {@code prefix} (a path, or "" for all), sorted. */
  public List<String> list(String prefix) {
    List<String> out = new ArrayList<>();
    for (String name : store.children(ROOT)) {
      String path = StorePaths.unsegment(name);
      if (prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/")) {
        out.add(path);
      }
    }
    out.sort(null);
    return out;
  }

  /** Creates or replaces the secret; durable when the future completes. */
  public CompletableFuture<Void> put(String path, byte[] value) {
    require(path);
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("a secret's value has at most " + MAX_VALUE_BYTES + " bytes");
    }
    return store.commitAhead(List.of(StoreOp.put(node(path), value)));
  }

  public CompletableFuture<Void> delete(String path) {
    require(path);
    return store.commitAhead(List.of(StoreOp.delete(node(path))));
  }

  private static void require(String path) {
    String problem = problem(path);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static String node(String path) {
    require(path);
    return StorePaths.join(ROOT, StorePaths.segment(path));
  }
}

package dev.corral.gateway.auth;

import java.util.Locale;
import java.util.Set;

/**
 * Permission names and how a granted resource pattern covers a requested resource.
 *
 * <p>Resources are colon-separated names, Marathon paths last: {@code corral:service:marathon:/prod/web}.
 * A grant covers a resource when it is equal, a prefix ending at a {@code :} or {@code /} boundary (the
 * grant {@code corral:service:marathon:/prod} covers everything under /prod, as DC/OS's hierarchical ACLs
 * do), or a glob where {@code *} stands for any characters, {@code /} included; a trailing {@code /*}
 * covers the group itself as well. {@link #SUPERUSER} covers everything.
 *
 * <p>Actions: {@code read}, {@code create}, {@code update}, {@code delete}; {@code full} grants them all.
 *
 * <p>Tasks: exec into any task needs {@link #TASK_EXEC} (create), its logs and sandbox files {@link #LOGS}
 * (read); for a task of an app or pod, {@code corral:task:exec:<id>} (create) and {@code corral:task:logs:<id>}
 * (read) do as well ({@link #taskExec}, {@link #taskLogs}), so {@code corral:task:logs:/prod/*} lets a team
 * read its own tasks' logs. {@code corral:task:exec} covers every {@code corral:task:exec:<id>} by the prefix rule.
 */
public final class Permissions {
  public static final String SUPERUSER = "corral:superuser";
  public static final String MARATHON = "corral:service:marathon";
  public static final String TASK_EXEC = "corral:task:exec";
  public static final String LOGS = "corral:logs";
  /** Per app or pod: {@code corral:task:logs:/prod/web}, a task's logs and sandbox files. */
  public static final String TASK_LOGS = "corral:task:logs";
  public static final String METRICS = "corral:metrics";
  public static final String JOBS = "corral:jobs";
  public static final String PACKAGE = "corral:package";
  public static final String PACKAGE_INSTALL = "corral:package:install";
  public static final String PACKAGE_REPOSITORY = "corral:package:repository";
  public static final String OPERATOR = "corral:operator";
  public static final String SERVICE_PROXY = "corral:service:proxy";
  public static final String ACS = "corral:acs";
  /** The secret store, {@code corral:secrets:<path>} per secret (DC/OS's {@code dcos:secrets:default:/<path>}). */
  public static final String SECRETS = "corral:secrets";

  public static final String READ = "read";
  public static final String CREATE = "create";
  public static final String UPDATE = "update";
  public static final String DELETE = "delete";
  public static final String FULL = "full";
  public static final Set<String> ACTIONS = Set.of(READ, CREATE, UPDATE, DELETE, FULL);

  private Permissions() {}

  /** The resource for a Marathon app, pod or group id such as {@code /prod/web}. */
  public static String marathon(String id) {
    return MARATHON + ":" + path(id);
  }

  /** Exec into the tasks of an app or pod: {@code corral:task:exec:/prod/web}. */
  public static String taskExec(String id) {
    return TASK_EXEC + ":" + path(id);
  }

  /** The logs and sandbox files of the tasks of an app or pod: {@code corral:task:logs:/prod/web}. */
  public static String taskLogs(String id) {
    return TASK_LOGS + ":" + path(id);
  }

  private static String path(String id) {
    return id == null || id.isBlank() ? "/" : id.startsWith("/") ? id : "/" + id;
  }

  /** Whether a grant of {@code actions} covers {@code action}. */
  public static boolean allowsAction(Set<String> actions, String action) {
    return actions.contains(FULL) || actions.contains(action);
  }

  /** Whether {@code pattern} (a granted resource) covers {@code resource}. */
  public static boolean covers(String pattern, String resource) {
    if (pattern.equals(resource)) {
      return true;
    }
    if (pattern.endsWith("/*") && pattern.substring(0, pattern.length() - 2).equals(resource)) {
      return true;
    }
    if (pattern.indexOf('*') >= 0) {
      return glob(pattern, 0, resource, 0);
    }
    if (resource.startsWith(pattern)) {
      char next = resource.charAt(pattern.length());
      char last = pattern.charAt(pattern.length() - 1);
      return next == ':' || next == '/' || last == ':' || last == '/';
    }
    return false;
  }

  /**
   * Whether {@code pattern} could cover some resource under {@code prefix} (e.g. any Marathon path):
   * the pattern extends the prefix, or covers the prefix itself.
   */
  public static boolean coversSomethingUnder(String pattern, String prefix) {
    return pattern.startsWith(prefix) || covers(pattern, prefix) || (pattern.indexOf('*') >= 0
        && glob(pattern, 0, prefix + ":/", 0));
  }

  /** Checks a resource id given by a user: lower-case words separated by colons, an optional path last. */
  public static String validateResource(String rid) {
    if (rid == null || rid.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (!rid.startsWith("corral:")) {
      throw new IllegalArgumentException("must start with 'corral:', e.g. corral:service:marathon:/prod/*");
    }
    for (char c : rid.toCharArray()) {
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("must not contain whitespace");
      }
    }
    return rid;
  }

  public static String validateAction(String action) {
    String a = action == null ? "" : action.toLowerCase(Locale.ROOT);
    if (!ACTIONS.contains(a)) {
      throw new IllegalArgumentException("unknown action '" + action + "'; one of read, create, update, delete, full");
    }
    return a;
  }

  // '*' matches any run of characters; iterative backtracking, linear for the single-star patterns used here.
  private static boolean glob(String p, int pi, String s, int si) {
    int star = -1;
    int mark = 0;
    while (si < s.length()) {
      if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        mark = si;
      } else if (pi < p.length() && p.charAt(pi) == s.charAt(si)) {
        pi++;
        si++;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }
}

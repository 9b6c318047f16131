package dev.corral.gateway.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.gateway.AccessCheck;
import dev.corral.services.events.StreamAccess;
import dev.corral.state.Store;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Authentication and authorisation of everything that comes through the gateway: a check before every
 * route ({@link RouteRules} says what each needs), the login and ACL API ({@link AuthApi}), the task routes'
 * {@link AccessCheck} (exec, logs, files per app), listings and the event stream narrowed to what the caller
 * may read.
 *
 * <p>Credentials: {@code Authorization: token=<jwt>} (DC/OS), {@code Authorization: Bearer <jwt>}, or the
 * UI's cookie {@value #COOKIE}. Thread-safe: requests read the directory's immutable snapshot.
 */
public final class Security implements AutoCloseable {
  public static final String COOKIE = "corral-token";
  static final String PRINCIPAL = "corral.principal";
  /** Tokens from a password or service login; DC/OS's default. */
  public static final Duration LOGIN_TTL = Duration.ofDays(5);
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private final boolean enabled;
  private final Directory directory;
  private final Tokens tokens;
  private final LoginLimiter limiter;
  private final Clock clock;
  private final String internalToken;

  private Security(boolean enabled, Directory directory, Tokens tokens, LoginLimiter limiter, Clock clock) {
    this.enabled = enabled;
    this.directory = directory;
    this.tokens = tokens;
    this.limiter = limiter;
    this.clock = clock;
    this.internalToken = tokens == null ? null : tokens.issueInternal(Duration.ofDays(3650));
  }

  /** Authentication off: every caller may do everything (local development, {@code --no-auth}). */
  public static Security disabled() {
    return new Security(false, null, null, null, Clock.systemUTC());
  }

  /** Authentication on, with accounts and the cluster key in {@code store}. */
  public static Security enabled(Store store, Clock clock) {
    return new Security(true, new Directory(store, clock).refreshEvery(5), Tokens.fromStore(store, clock),
        LoginLimiter.standard(clock), clock);
  }

  /** For tests: explicit parts. */
  static Security of(Directory directory, Tokens tokens, LoginLimiter limiter, Clock clock) {
    return new Security(true, directory, tokens, limiter, clock);
  }

  public boolean enabled() {
    return enabled;
  }

  Directory directory() {
    return directory;
  }

  Tokens tokens() {
    return tokens;
  }

  LoginLimiter limiter() {
    return limiter;
  }

  Clock clock() {
    return clock;
  }

  /**
   * On a cluster without accounts: creates {@code admin} with a random password and {@code corral:superuser}.
   *
   * @return the new password (shown once), or empty when accounts exist or authentication is off
   */
  public Optional<String> bootstrapAdmin(String uid) {
    if (!enabled || !directory.snapshot().accounts().isEmpty()) {
      return Optional.empty();
    }
    String password = Passwords.random(20);
    directory.putAccount(new Account(uid, "the cluster's first administrator", Passwords.hash(password), null));
    directory.setPermission(Permissions.SUPERUSER, false, uid, Permissions.FULL, true);
    return Optional.of(password);
  }

  /** A token for {@code uid} (the CLI context {@code corral up} writes); empty when authentication is off. */
  public Optional<String> issueToken(String uid, Duration ttl) {
    return enabled ? Optional.of(tokens.issue(uid, ttl)) : Optional.empty();
  }

  /** The {@code Authorization} header value for the master's calls to its own API; empty when off. */
  public Optional<String> internalAuthorization() {
    return enabled ? Optional.of("token=" + internalToken) : Optional.empty();
  }

  /** Adds the check before every route, the auth API and the listing filter. */
  public void install(JavalinConfig config) {
    new AuthApi(this).install(config.routes);
    config.routes.exception(AuthRefused.class, (e, ctx) -> refuse(ctx, e));
    if (!enabled) {
      return;
    }
    config.routes.before(this::check);
    // WebSocket upgrades (exec, /service/<name>/) skip the HTTP before-handlers: the same rules, checked here
    config.routes.wsBeforeUpgrade(this::check);
    config.routes.after(this::filterListing);
  }

  /**
   * The task routes' check (exec, logs and sandbox files): 401 without valid credentials; allowed with the
   * cluster-wide permission ({@code corral:task:exec} create, {@code corral:logs} read) or the one for the
   * task's app or pod ({@code corral:task:exec:<id>} create, {@code corral:task:logs:<id>} read); else 403.
   */
  public AccessCheck accessCheck() {
    return (request, use, taskId, runSpecId) -> {
      if (!enabled) {
        return null;
      }
      try {
        AuthRefused refused = taskRefusal(authenticate(request), use, taskId, runSpecId);
        return refused == null ? null : denial(refused);
      } catch (AuthRefused e) {
        return denial(e);
      }
    };
  }

  /** Why {@code p} may not use the task; null when it may. */
  static AuthRefused taskRefusal(Principal p, AccessCheck.TaskUse use, String taskId, String runSpecId) {
    boolean exec = use == AccessCheck.TaskUse.EXEC;
    Requirement.Needed clusterWide = exec ? new Requirement.Needed(Permissions.TASK_EXEC, Permissions.CREATE)
        : new Requirement.Needed(Permissions.LOGS, Permissions.READ);
    Requirement.Needed perApp = runSpecId == null ? null : exec
        ? new Requirement.Needed(Permissions.taskExec(runSpecId), Permissions.CREATE)
        : new Requirement.Needed(Permissions.taskLogs(runSpecId), Permissions.READ);
    if (p.allows(clusterWide.resource(), clusterWide.action())
        || perApp != null && p.allows(perApp.resource(), perApp.action())) {
      return null;
    }
    return AuthRefused.forbiddenTask(p.uid(), exec ? "exec into the containers" : "read the logs and files", taskId,
        clusterWide, perApp);
  }

  private static AccessCheck.Denial denial(AuthRefused e) {
    return new AccessCheck.Denial(e.status, e.getMessage(), body(e).toString());
  }

  /**
   * The event stream's narrowing ({@code GET /v2/events}): a caller sees the events of the apps and pods it
   * may read ({@code corral:service:marathon:<id>}, read); a superuser, a reader of the whole tree and every
   * caller of a cluster without authentication see all. Decided with the caller's grants as they are when
   * the stream opens.
   */
  public StreamAccess eventAccess() {
    return ctx -> enabled ? readableRunSpecs(authenticate(ctx)) : null;
  }

  /** The app and pod ids {@code p} may read; null when all. */
  static Predicate<String> readableRunSpecs(Principal p) {
    if (p.superuser() || p.allows(Permissions.marathon("/"), Permissions.READ)) {
      return null;
    }
    return id -> p.allows(Permissions.marathon(id), Permissions.READ);
  }

  private void check(Context ctx) {
    String path = decodedPath(ctx.path());
    Requirement need = RouteRules.of(ctx.method().name(), path,
        BODY_METHODS.contains(ctx.method().name()) && ruleNeedsBody(path) ? ctx.body() : "");
    if (need instanceof Requirement.Public) {
      return;
    }
    Principal p = authenticate(ctx);
    ctx.attribute(PRINCIPAL, p);
    if (need instanceof Requirement.Permission perm) {
      p.missing(perm.needed()).ifPresent(n -> {
        throw AuthRefused.forbidden(p.uid(), n);
      });
    } else if (need instanceof Requirement.PerTask task) {
      Requirement.Needed wide = task.clusterWide();
      if (!p.allows(wide.resource(), wide.action()) && !p.allowsSomethingUnder(task.perApp(), wide.action())) {
        throw new AuthRefused(403, "ERR_FORBIDDEN", "'" + p.uid() + "' lacks the permission " + wide.resource()
            + " (" + wide.action() + "), or " + task.perApp() + ":<app id> (" + wide.action()
            + ") for the app or pod of the task", wide.resource(), wide.action());
      }
    } else if (need instanceof Requirement.Listing listing) {
      if (!p.allowsSomethingUnder(listing.prefix(), listing.action())) {
        throw AuthRefused.forbidden(p.uid(), new Requirement.Needed(listing.prefix() + ":*", listing.action()));
      }
    }
  }

  private static boolean ruleNeedsBody(String path) {
    return path.equals("/v2/apps") || path.equals("/v2/apps/") || path.equals("/v2/groups")
        || path.equals("/v2/groups/") || path.equals("/v2/pods") || path.equals("/v2/pods/") || path.equals("/v1/jobs");
  }

  /**
   * The caller of {@code ctx}; throws {@link AuthRefused} (401) without valid credentials. With
   * authentication off, everyone is {@link Principal#ANONYMOUS_SUPERUSER}.
   */
  public Principal authenticate(Context ctx) {
    if (!enabled) {
      return Principal.ANONYMOUS_SUPERUSER;
    }
    Principal cached = ctx.attribute(PRINCIPAL);
    if (cached != null) {
      return cached;
    }
    String token = credential(ctx);
    if (token != null && headerCredential(ctx) != null) {
      ctx.attribute(AccessCheck.CREDENTIAL_IN_AUTHORIZATION, Boolean.TRUE);
    }
    if (token == null) {
      throw AuthRefused.unauthorized("ERR_MISSING_TOKEN", "authentication required: send Authorization: token=<token>"
          + " (log in with corral auth login, or POST /acs/api/v1/auth/login)");
    }
    return principal(token);
  }

  /** Verifies a token and resolves what its holder may do. */
  Principal principal(String token) {
    Tokens.Claims claims;
    try {
      claims = tokens.verify(token);
    } catch (TokenException e) {
      throw AuthRefused.unauthorized(e.code, e.getMessage());
    }
    Directory.Snapshot s = directory.snapshot();
    if (s.revoked().containsKey(claims.jti())) {
      throw AuthRefused.unauthorized("ERR_REVOKED_TOKEN", "the token was revoked (logged out); log in again");
    }
    if (claims.internal()) {
      return new Principal(claims.uid(), claims.jti(), claims.expires(), true, List.of());
    }
    if (!s.accounts().containsKey(claims.uid())) {
      throw AuthRefused.unauthorized("ERR_UNKNOWN_ACCOUNT", "the token's account '" + claims.uid() + "' no longer exists");
    }
    List<Directory.Grant> grants = s.grantsOf(claims.uid());
    boolean superuser = grants.stream().anyMatch(g -> g.rid().equals(Permissions.SUPERUSER));
    return new Principal(claims.uid(), claims.jti(), claims.expires(), superuser, grants);
  }

  static String credential(Context ctx) {
    String fromHeader = headerCredential(ctx);
    if (fromHeader != null) {
      return fromHeader;
    }
    String cookie = ctx.cookie(COOKIE);
    return cookie == null || cookie.isBlank() ? null : cookie;
  }

  private static String headerCredential(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      String h = header.strip();
      if (h.regionMatches(true, 0, "token=", 0, 6)) {
        return h.substring(6).strip();
      }
      if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return h.substring(7).strip();
      }
    }
    return null;
  }

  // Listings of Marathon apps, pods, tasks, queue and deployments show only what the caller may read.
  private void filterListing(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null || p.superuser() || ctx.statusCode() != 200 || !ctx.method().name().equals("GET")
        || !ListingFilter.narrows(ctx.path())) {
      return;
    }
    Predicate<String> readable = readableRunSpecs(p);
    if (readable == null) {
      return;
    }
    String body = ctx.result();
    if (body == null || body.isEmpty()) {
      return;
    }
    try {
      String narrowed = ListingFilter.filter(ctx.path(), body, readable);
      ctx.result(narrowed != null ? narrowed : body);
    } catch (Exception e) {
      ctx.status(500).result("{\"message\":\"could not filter the listing\"}");
    }
  }

  private static void refuse(Context ctx, AuthRefused e) {
    if (e.status == 401) {
      ctx.header("WWW-Authenticate", "acsjwt realm=\"corral\"");
    }
    ctx.status(e.status).contentType("application/json; charset=utf-8").result(body(e).toString());
  }

  private static ObjectNode body(AuthRefused e) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("title", e.status == 401 ? "Unauthorized" : "Forbidden");
    body.put("message", e.getMessage());
    body.put("code", e.code);
    if (e.permission != null) {
      body.put("permission", e.permission);
      body.put("action", e.action);
    }
    return body;
  }

  /** Percent-decodes the path once (as the routes see it) and refuses dot segments outright. */
  static String decodedPath(String raw) {
    String path;
    try {
      path = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AuthRefused(400, "ERR_BAD_PATH", "malformed path", null, null);
    }
    for (String seg : path.split("/")) {
      if (seg.equals("..") || seg.equals(".")) {
        throw new AuthRefused(400, "ERR_BAD_PATH", "dot segments are not allowed in paths", null, null);
      }
    }
    return path;
  }

  @Override
  public void close() {
    if (directory != null) {
      directory.close();
    }
  }
}

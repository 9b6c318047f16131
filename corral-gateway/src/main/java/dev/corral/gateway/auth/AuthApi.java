package dev.corral.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.corral.common.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The IAM API, in the shapes of DC/OS's ({@code /acs/api/v1/…}): login and logout, accounts (users with
 * passwords, service accounts with public keys), groups, and ACLs (a resource id with the actions each user
 * or group may take). Resource ids in paths are URL-encoded twice where they contain {@code /}
 * ({@code %252F}), as DC/OS's are. Every write is persisted before it is answered.
 */
final class AuthApi {
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String BASE = "/acs/api/v1";

  private final Security security;

  AuthApi(Security security) {
    this.security = security;
  }

  void install(RoutesConfig routes) {
    routes.get(BASE + "/auth/status", this::status);
    if (!security.enabled()) {
      routes.post(BASE + "/auth/login", ctx -> json(ctx, 200, Json.mapper().createObjectNode()
          .put("token", "").put("message", "authentication is off on this cluster (--no-auth)")));
      return;
    }
    routes.post(BASE + "/auth/login", this::login);
    routes.post(BASE + "/auth/logout", this::logout);
    routes.get(BASE + "/auth/whoami", this::whoami);

    routes.get(BASE + "/users", ctx -> json(ctx, 200, array(security.directory().snapshot().accounts().values().stream()
        .sorted(java.util.Comparator.comparing(Account::uid)).map(AuthApi::accountJson).toList())));
    routes.get(BASE + "/users/{uid}", ctx -> json(ctx, 200, accountJson(account(ctx.pathParam("uid")))));
    routes.put(BASE + "/users/{uid}", this::createAccount);
    routes.patch(BASE + "/users/{uid}", this::updateAccount);
    routes.delete(BASE + "/users/{uid}", ctx -> {
      account(ctx.pathParam("uid"));
      security.directory().removeAccount(ctx.pathParam("uid"));
      ctx.status(204);
    });
    routes.get(BASE + "/users/{uid}/permissions", this::userPermissions);
    routes.get(BASE + "/users/{uid}/groups", ctx -> {
      String uid = account(ctx.pathParam("uid")).uid();
      json(ctx, 200, array(security.directory().snapshot().groups().values().stream()
          .filter(g -> g.members().contains(uid)).map(g -> (JsonNode) Json.mapper().createObjectNode()
              .set("group", groupJson(g))).toList()));
    });

    routes.get(BASE + "/groups", ctx -> json(ctx, 200, array(security.directory().snapshot().groups().values().stream()
        .sorted(java.util.Comparator.comparing(Group::gid)).map(AuthApi::groupJson).toList())));
    routes.get(BASE + "/groups/{gid}", ctx -> json(ctx, 200, groupJson(group(ctx.pathParam("gid")))));
    routes.put(BASE + "/groups/{gid}", this::createGroup);
    routes.delete(BASE + "/groups/{gid}", ctx -> {
      group(ctx.pathParam("gid"));
      security.directory().removeGroup(ctx.pathParam("gid"));
      ctx.status(204);
    });
    routes.get(BASE + "/groups/{gid}/users", ctx -> json(ctx, 200, array(group(ctx.pathParam("gid")).members().stream()
        .sorted().map(uid -> (JsonNode) Json.mapper().createObjectNode().set("user",
            accountJson(security.directory().snapshot().accounts().getOrDefault(uid, new Account(uid, "", null, null)))))
        .toList())));
    routes.put(BASE + "/groups/{gid}/users/{uid}", ctx -> member(ctx, true));
    routes.delete(BASE + "/groups/{gid}/users/{uid}", ctx -> member(ctx, false));

    routes.get(BASE + "/acls", ctx -> json(ctx, 200, array(security.directory().snapshot().acls().values().stream()
        .sorted(java.util.Comparator.comparing(Acl::rid)).map(AuthApi::aclJson).toList())));
    routes.get(BASE + "/acls/{rid}", ctx -> json(ctx, 200, aclJson(acl(rid(ctx)))));
    routes.get(BASE + "/acls/{rid}/permissions", ctx -> json(ctx, 200, aclPermissions(acl(rid(ctx)))));
    routes.put(BASE + "/acls/{rid}/users/{uid}/{action}", ctx -> grant(ctx, false, true));
    routes.delete(BASE + "/acls/{rid}/users/{uid}/{action}", ctx -> grant(ctx, false, false));
    routes.put(BASE + "/acls/{rid}/groups/{gid}/{action}", ctx -> grant(ctx, true, true));
    routes.delete(BASE + "/acls/{rid}/groups/{gid}/{action}", ctx -> grant(ctx, true, false));
    routes.exception(BadRequest.class, (e, ctx) -> json(ctx, 400, message(e.getMessage())));
    routes.exception(NotFound.class, (e, ctx) -> json(ctx, 404, message(e.getMessage())));
    routes.exception(Conflict.class, (e, ctx) -> json(ctx, 409, message(e.getMessage())));
  }

  private void status(Context ctx) {
    ObjectNode out = Json.mapper().createObjectNode().put("authentication", security.enabled());
    if (!security.enabled()) {
      out.put("message", "authentication is off (--no-auth): anyone who reaches this address may do anything");
      json(ctx, 200, out);
      return;
    }
    try {
      out.put("uid", security.authenticate(ctx).uid());
    } catch (AuthRefused e) {
      out.putNull("uid");
    }
    json(ctx, 200, out);
  }

  private void login(Context ctx) {
    JsonNode body = body(ctx);
    String uid = body.path("uid").asText("");
    if (uid.isBlank()) {
      throw new BadRequest("uid: required");
    }
    boolean withPassword = body.hasNonNull("password");
    boolean withToken = body.hasNonNull("token");
    if (withPassword == withToken) {
      throw new BadRequest("password, token: exactly one is required");
    }
    String address = "addr:" + ctx.ip();
    Optional<Duration> wait = security.limiter().retryAfter("uid:" + uid, address);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
      json(ctx, 429, message("too many failed logins for '" + uid + "' or from this address; retry in " + seconds + "s"));
      return;
    }
    Account account = security.directory().snapshot().accounts().get(uid);
    String refusal = null;
    if (account == null) {
      refusal = "wrong uid or password";
      Passwords.verify("x", DummyHash.VALUE); // same cost as a real check: no telling which uids exist
    } else if (withPassword) {
      if (account.passwordHash() == null || !Passwords.verify(body.path("password").asText(), account.passwordHash())) {
        refusal = "wrong uid or password";
      }
    } else {
      if (account.publicKey() == null) {
        refusal = "'" + uid + "' is not a service account; log in with a password";
      } else {
        try {
          Tokens.verifyServiceLogin(body.path("token").asText(), uid, publicKey(account.publicKey()), security.clock());
        } catch (TokenException e) {
          refusal = e.getMessage();
        }
      }
    }
    if (refusal != null) {
      security.limiter().failed("uid:" + uid, address);
      ctx.header("WWW-Authenticate", "acsjwt realm=\"corral\"");
      json(ctx, 401, Json.mapper().createObjectNode().put("title", "Unauthorized").put("message", refusal)
          .put("code", "ERR_INVALID_CREDENTIALS"));
      return;
    }
    security.limiter().succeeded("uid:" + uid);
    String token = security.tokens().issue(uid, Security.LOGIN_TTL);
    Cookie cookie = new Cookie(Security.COOKIE, token);
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setPath("/");
    cookie.setMaxAge((int) Security.LOGIN_TTL.toSeconds());
    cookie.setSecure("https".equals(ctx.scheme()));
    ctx.cookie(cookie);
    json(ctx, 200, Json.mapper().createObjectNode().put("token", token));
  }

  /**
   * A valid Argon2id hash of a random password, checked when the uid is unknown; made at the first such login,
   * not while a new leader takes over (hashing is slow on purpose).
   */
  private static final class DummyHash {
    static final String VALUE = Passwords.hash(Passwords.random(20));
  }

  private void logout(Context ctx) {
    Principal p = security.authenticate(ctx);
    if (p.jti() != null && p.expires() != null) {
      security.directory().revokeToken(p.jti(), p.expires());
    }
    ctx.removeCookie(Security.COOKIE, "/");
    ctx.status(204);
  }

  private void whoami(Context ctx) {
    Principal p = security.authenticate(ctx);
    ObjectNode out = Json.mapper().createObjectNode().put("uid", p.uid()).put("superuser", p.superuser());
    ArrayNode grants = out.putArray("permissions");
    for (Directory.Grant g : p.grants()) {
      ObjectNode n = grants.addObject().put("rid", g.rid()).put("via", g.via());
      g.actions().stream().sorted().forEach(n.putArray("actions")::add);
    }
    json(ctx, 200, out);
  }

  private void createAccount(Context ctx) {
    String uid = valid("uid", () -> Directory.validateName(ctx.pathParam("uid")));
    if (security.directory().snapshot().accounts().containsKey(uid)) {
      throw new Conflict("account '" + uid + "' already exists");
    }
    JsonNode body = body(ctx);
    String description = body.path("description").asText("");
    String password = body.path("password").asText(null);
    String publicKey = body.path("public_key").asText(null);
    if ((password == null) == (publicKey == null)) {
      throw new BadRequest("password, public_key: exactly one is required (a user, or a service account)");
    }
    if (password != null && password.length() < 8) {
      throw new BadRequest("password: at least 8 characters");
    }
    if (publicKey != null) {
      publicKey(publicKey); // refuses an unreadable key now rather than at login
    }
    security.directory().putAccount(new Account(uid, description,
        password == null ? null : Passwords.hash(password), publicKey));
    ctx.status(201);
  }

  private void updateAccount(Context ctx) {
    Principal caller = security.authenticate(ctx);
    Account account = account(ctx.pathParam("uid"));
    if (!caller.uid().equals(account.uid()) && !caller.allows(Permissions.ACS, Permissions.FULL)) {
      throw AuthRefused.forbidden(caller.uid(), new Requirement.Needed(Permissions.ACS, Permissions.FULL));
    }
    JsonNode body = body(ctx);
    String description = body.path("description").asText(account.description());
    String hash = account.passwordHash();
    if (body.hasNonNull("password")) {
      String password = body.path("password").asText();
      if (account.service()) {
        throw new BadRequest("password: a service account logs in with its key, not a password");
      }
      if (password.length() < 8) {
        throw new BadRequest("password: at least 8 characters");
      }
      hash = Passwords.hash(password);
    }
    security.directory().putAccount(new Account(account.uid(), description, hash, account.publicKey()));
    ctx.status(204);
  }

  private void userPermissions(Context ctx) {
    String uid = account(ctx.pathParam("uid")).uid();
    ObjectNode out = Json.mapper().createObjectNode();
    ArrayNode direct = out.putArray("direct");
    ArrayNode viaGroups = out.putArray("groups");
    for (Directory.Grant g : security.directory().snapshot().grantsOf(uid)) {
      ObjectNode n = (g.via().startsWith("group ") ? viaGroups : direct).addObject().put("rid", g.rid());
      if (g.via().startsWith("group ")) {
        n.put("gid", g.via().substring("group ".length()));
      }
      ArrayNode actions = n.putArray("actions");
      g.actions().stream().sorted().forEach(a -> actions.addObject().put("name", a));
    }
    json(ctx, 200, out);
  }

  private void createGroup(Context ctx) {
    String gid = valid("gid", () -> Directory.validateName(ctx.pathParam("gid")));
    if (security.directory().snapshot().groups().containsKey(gid)) {
      throw new Conflict("group '" + gid + "' already exists");
    }
    security.directory().putGroup(new Group(gid, body(ctx).path("description").asText(""), Set.of()));
    ctx.status(201);
  }

  private void member(Context ctx, boolean add) {
    Group g = group(ctx.pathParam("gid"));
    String uid = ctx.pathParam("uid");
    if (add) {
      account(uid);
    }
    security.directory().setMember(g.gid(), uid, add);
    ctx.status(204);
  }

  private void grant(Context ctx, boolean toGroup, boolean granted) {
    String rid = valid("rid", () -> Permissions.validateResource(rid(ctx)));
    String action = valid("action", () -> Permissions.validateAction(ctx.pathParam("action")));
    String subject = ctx.pathParam(toGroup ? "gid" : "uid");
    if (granted) {
      if (toGroup) {
        group(subject);
      } else {
        account(subject);
      }
    }
    security.directory().setPermission(rid, toGroup, subject, action, granted);
    ctx.status(204);
  }

  private Account account(String uid) {
    Account a = security.directory().snapshot().accounts().get(uid);
    if (a == null) {
      throw new NotFound("no account '" + uid + "'");
    }
    return a;
  }

  private Group group(String gid) {
    Group g = security.directory().snapshot().groups().get(gid);
    if (g == null) {
      throw new NotFound("no group '" + gid + "'");
    }
    return g;
  }

  private Acl acl(String rid) {
    Acl a = security.directory().snapshot().acls().get(rid);
    if (a == null) {
      throw new NotFound("no ACL for '" + rid + "'");
    }
    return a;
  }

  /** The path's rid, decoded once more: DC/OS clients send {@code /} in rids as {@code %252F}. */
  private static String rid(Context ctx) {
    return URLDecoder.decode(ctx.pathParam("rid").replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static RSAPublicKey publicKey(String pem) {
    try {
      JWK jwk = JWK.parseFromPEMEncodedObjects(pem);
      if (!(jwk instanceof RSAKey rsa)) {
        throw new BadRequest("public_key: not an RSA key");
      }
      return rsa.toRSAPublicKey();
    } catch (BadRequest e) {
      throw e;
    } catch (Exception e) {
      throw new BadRequest("public_key: not a PEM-encoded RSA public key (" + e.getMessage() + ")");
    }
  }

  private static ObjectNode accountJson(Account a) {
    ObjectNode n = Json.mapper().createObjectNode().put("uid", a.uid()).put("description", a.description())
        .put("is_service", a.service());
    if (a.publicKey() != null) {
      n.put("public_key", a.publicKey());
    }
    return n;
  }

  private static ObjectNode groupJson(Group g) {
    ObjectNode n = Json.mapper().createObjectNode().put("gid", g.gid()).put("description", g.description());
    g.members().stream().sorted().forEach(n.putArray("members")::add);
    return n;
  }

  private static ObjectNode aclJson(Acl a) {
    return Json.mapper().createObjectNode().put("rid", a.rid()).put("description", a.description());
  }

  private static ObjectNode aclPermissions(Acl a) {
    ObjectNode out = Json.mapper().createObjectNode();
    subjects(out.putArray("users"), "uid", a.users());
    subjects(out.putArray("groups"), "gid", a.groups());
    return out;
  }

  private static void subjects(ArrayNode into, String key, Map<String, Set<String>> m) {
    new TreeMap<>(m).forEach((subject, actions) -> {
      ArrayNode list = into.addObject().put(key, subject).putArray("actions");
      actions.stream().sorted().forEach(a -> list.addObject().put("name", a));
    });
  }

  private static ObjectNode array(List<? extends JsonNode> items) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.putArray("array").addAll(items);
    return out;
  }

  private static JsonNode body(Context ctx) {
    String raw = ctx.body();
    if (raw.isBlank()) {
      return Json.mapper().createObjectNode();
    }
    try {
      JsonNode n = Json.mapper().readTree(raw);
      if (!n.isObject()) {
        throw new BadRequest("body: expected a JSON object");
      }
      return n;
    } catch (java.io.IOException e) {
      throw new BadRequest("body: not valid JSON");
    }
  }

  private static ObjectNode message(String m) {
    return Json.mapper().createObjectNode().put("message", m);
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType(JSON_TYPE).result(body.toString());
  }

  private static String valid(String field, java.util.function.Supplier<String> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new BadRequest(field + ": " + e.getMessage());
    }
  }

  static final class BadRequest extends RuntimeException {
    BadRequest(String m) {
      super(m, null, false, false);
    }
  }

  static final class NotFound extends RuntimeException {
    NotFound(String m) {
      super(m, null, false, false);
    }
  }

  static final class Conflict extends RuntimeException {
    Conflict(String m) {
      super(m, null, false, false);
    }
  }
}

package dev.corral.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The cluster's tokens: RS256 JWTs signed with the cluster key (kept in the store at
 * {@code /auth/signing-key}, created by the first master), carrying the uid ({@code sub}), an id
 * ({@code jti}, for revocation) and an expiry. Thread-safe (the key is immutable; nimbus signers are).
 */
public final class Tokens {
  static final String KEY_PATH = Directory.ROOT + "/signing-key";
  static final String ISSUER = "corral";
  /** Marks the master's own calls to its API (the package manager installing through Marathon's). */
  static final String INTERNAL_CLAIM = "corral:internal";

  /** A verified token. */
  public record Claims(String uid, String jti, Instant expires, boolean internal) {}

  /** Verified tokens kept at most; past it the cache starts over (a token is one RSA check away). */
  static final int VERIFIED_CACHE = 10_000;

  private final RSAKey key;
  private final RSASSASigner signer;
  /**
   * Tokens whose signature checked out, with their claims: each request carries its token, and an RSA check
   * per request is most of what authentication costs. Expiry is checked on every use all the same.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Claims> verified =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final RSASSAVerifier verifier;
  private final Clock clock;

  public Tokens(RSAKey key, Clock clock) {
    try {
      this.key = key;
      this.signer = new RSASSASigner(key);
      this.verifier = new RSASSAVerifier(key.toRSAPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException("unusable cluster key: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  /** The cluster key from the store, created and stored first when there is none. */
  public static Tokens fromStore(Store store, Clock clock) {
    RSAKey key = store.get(KEY_PATH).map(Tokens::parseKey).orElse(null);
    if (key == null) {
      key = generateKey();
      store.commitAndWait(java.util.List.of(StoreOp.put(KEY_PATH, key.toJSONString().getBytes(StandardCharsets.UTF_8))));
    }
    return new Tokens(key, clock);
  }

  public static RSAKey generateKey() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey parseKey(byte[] json) {
    try {
      return RSAKey.parse(new String(json, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IllegalStateException("the cluster key in the store at " + KEY_PATH + " is unreadable: " + e.getMessage());
    }
  }

  public String issue(String uid, Duration ttl) {
    return issue(uid, ttl, false);
  }

  /** A token for the master's own calls to its API; superuser. */
  public String issueInternal(Duration ttl) {
    return issue("corral-internal", ttl, true);
  }

  private String issue(String uid, Duration ttl, boolean internal) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(uid).claim("uid", uid)
        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
    if (internal) {
      claims.claim(INTERNAL_CLAIM, true);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Checks signature, algorithm, issuer and expiry (not revocation: that is the directory's). */
  public Claims verify(String token) throws TokenException {
    Claims known = verified.get(token);
    if (known != null) {
      if (!known.expires().isAfter(clock.instant())) {
        verified.remove(token);
        throw expired();
      }
      return known;
    }
    Claims claims = verifyUncached(token);
    if (verified.size() >= VERIFIED_CACHE) {
      verified.clear();
    }
    verified.put(token, claims);
    return claims;
  }

  private static TokenException expired() {
    return new TokenException("ERR_EXPIRED_TOKEN", "the token has expired; log in again (corral auth login)");
  }

  private Claims verifyUncached(String token) throws TokenException {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenException("ERR_INVALID_TOKEN", "the token is not a JWT");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new TokenException("ERR_INVALID_TOKEN", "the token is not signed with RS256");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new TokenException("ERR_INVALID_SIGNATURE", "the token's signature is not this cluster's");
      }
    } catch (JOSEException e) {
      throw new TokenException("ERR_INVALID_SIGNATURE", "the token's signature cannot be checked: " + e.getMessage());
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
      throw expired();
    }
    if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getJWTID() == null) {
      throw new TokenException("ERR_INVALID_TOKEN", "the token lacks issuer, subject or id");
    }
    Object internal = claims.getClaim(INTERNAL_CLAIM);
    return new Claims(claims.getSubject(), claims.getJWTID(), exp.toInstant(), Boolean.TRUE.equals(internal));
  }

  /**
   * Checks a service account's login token: an RS256 JWT signed by the account's private key, whose
   * {@code uid} claim names the account and which expires (DC/OS's service login).
   */
  public static void verifyServiceLogin(String token, String uid, RSAPublicKey publicKey, Clock clock)
      throws TokenException {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
        throw new TokenException("ERR_INVALID_TOKEN", "the login token must be signed with RS256");
      }
      if (!jwt.verify(new RSASSAVerifier(publicKey))) {
        throw new TokenException("ERR_INVALID_SIGNATURE", "the login token is not signed by the account's key");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!uid.equals(claims.getStringClaim("uid"))) {
        throw new TokenException("ERR_INVALID_TOKEN", "the login token's uid claim must be '" + uid + "'");
      }
      Date exp = claims.getExpirationTime();
      if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
        throw new TokenException("ERR_EXPIRED_TOKEN", "the login token has no exp claim or has expired");
      }
    } catch (ParseException e) {
      throw new TokenException("ERR_INVALID_TOKEN", "the login token is not a JWT");
    } catch (JOSEException e) {
      throw new TokenException("ERR_INVALID_SIGNATURE", "the login token cannot be checked: " + e.getMessage());
    }
  }
}

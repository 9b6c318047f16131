package dev.corral.cli.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The login token of a service account (DC/OS style): an RS256 JWT with {@code uid} and {@code exp} claims,
 * signed with the account's private key (PEM, PKCS#8: {@code openssl genpkey -algorithm RSA}). Built with the
 * JDK alone, so the CLI carries no JWT library.
 */
public final class ServiceLoginToken {
  private ServiceLoginToken() {}

  public static String sign(String uid, String privateKeyPem, Instant now, Duration ttl) {
    PrivateKey key = privateKey(privateKeyPem);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    ObjectNode header = Json.mapper().createObjectNode().put("alg", "RS256").put("typ", "JWT");
    ObjectNode claims = Json.mapper().createObjectNode().put("uid", uid)
        .put("exp", now.plus(ttl).getEpochSecond());
    String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(rsa.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with the private key: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(String pem) {
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new IllegalArgumentException("the private key is in PKCS#1 form; convert it: openssl pkcs8 -topk8 -nocrypt"
          + " -in key.pem -out key-pkcs8.pem");
    }
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not a PEM PKCS#8 RSA private key: " + e.getMessage(), e);
    }
  }
}

package dev.corral.gateway.auth;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user ({@code passwordHash} set) or a service account ({@code publicKey} set, PEM of its RSA key) as
 * stored under {@code /auth/users/<uid>}. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Account(String uid, String description, String passwordHash, String publicKey) {
  public boolean service() {
    return publicKey != null;
  }

  public Account withPasswordHash(String hash) {
    return new Account(uid, description, hash, publicKey);
  }
}

package dev.corral.gateway.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}), so the
 * parameters travel with each hash and can be raised later without breaking stored ones.
 * Stateless and thread-safe.
 */
public final class Passwords {
  // OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
  private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private Passwords() {}

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  /** False for a wrong password and for anything that is not an Argon2 hash. */
  public static boolean verify(String password, String hash) {
    if (password == null || hash == null || !hash.startsWith("$argon2")) {
      return false;
    }
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A random password of {@code length} unambiguous letters and digits (~5.8 bits each). */
  public static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }
}

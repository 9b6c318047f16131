package dev.corral.gateway.auth;

/** A credential was refused; {@code code} is the machine-readable reason sent with the 401. */
public final class TokenException extends Exception {
  public final String code;

  public TokenException(String code, String message) {
    super(message);
    this.code = code;
  }
}

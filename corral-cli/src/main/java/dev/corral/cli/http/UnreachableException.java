package dev.corral.cli.http;

/**
 * No HTTP answer came back from the cluster at all: nothing listening, unknown host, timeout. Its message is
 * the whole user-facing line, including a hint on how to point the CLI elsewhere.
 */
public final class UnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnreachableException(String baseUrl, String reason, Throwable cause) {
    super("cannot reach Corral at " + baseUrl + ": " + reason
        + " \u2014 is 'corral up' running? (set --url or CORRAL_URL)", cause);
  }
}

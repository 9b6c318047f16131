package dev.corral.agent.health;

/**
 * What one probe found. {@code cause} says why a probe failed, in words shown to users as Marathon's
 * {@code lastFailureCause}; empty for the other outcomes.
 */
public record ProbeResult(Outcome outcome, String cause) {
  /** PASSED and FAILED count; IGNORED (an HTTP 1xx answer with ignoreHttp1xx) leaves the health unchanged. */
  public enum Outcome { PASSED, FAILED, IGNORED }

  public static final ProbeResult PASSED = new ProbeResult(Outcome.PASSED, "");
  public static final ProbeResult IGNORED = new ProbeResult(Outcome.IGNORED, "");

  public ProbeResult {
    cause = cause == null ? "" : cause;
  }

  public static ProbeResult failed(String cause) {
    return new ProbeResult(Outcome.FAILED, cause);
  }
}

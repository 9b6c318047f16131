package dev.corral.jobs.spec;

import java.util.List;

/** A request body that failed validation; the API answers 422 with every violation. */
public final class InvalidException extends RuntimeException {
  private final List<Violation> violations;

  public InvalidException(List<Violation> violations) {
    super(violations.isEmpty() ? "invalid" : violations.get(0).path() + ": " + violations.get(0).error(), null,
        false, false);
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}

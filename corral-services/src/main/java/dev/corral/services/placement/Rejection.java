package dev.corral.services.placement;

import java.util.List;

/**
 * One offer's refusal of an app's instance: every check it failed, in {@link RejectReason} order, and a
 * sentence a user can act on about the first of them.
 */
public record Rejection(List<RejectReason> reasons, String detail) {

  public Rejection {
    reasons = List.copyOf(reasons);
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs a reason");
    }
  }

  public Rejection(RejectReason reason, String detail) {
    this(List.of(reason), detail);
  }

  /** The reason the funnel counts: the first check the offer failed. */
  public RejectReason reason() {
    return reasons.get(0);
  }
}

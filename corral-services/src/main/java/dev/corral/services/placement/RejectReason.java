package dev.corral.services.placement;

/**
 * Why an offer could not take an app's next instance, in Marathon's funnel order (its
 * {@code NoOfferMatchReason.reasonFunnel}): an offer that fails several checks is counted under the first of
 * them in the queue's {@code rejectSummaryLastOffers} and {@code rejectSummaryLaunchAttempt}. The wire names are
 * Marathon's.
 */
public enum RejectReason {
  UNFULFILLED_ROLE("UnfulfilledRole"),
  UNFULFILLED_CONSTRAINT("UnfulfilledConstraint"),
  /** Resident apps (persistent volumes) are not supported yet, so Corral never reports this one. */
  NO_CORRESPONDING_RESERVATION_FOUND("NoCorrespondingReservationFound"),
  AGENT_MAINTENANCE("AgentMaintenance"),
  INSUFFICIENT_CPUS("InsufficientCpus"),
  INSUFFICIENT_MEMORY("InsufficientMemory"),
  INSUFFICIENT_DISK("InsufficientDisk"),
  INSUFFICIENT_GPUS("InsufficientGpus"),
  INSUFFICIENT_PORTS("InsufficientPorts"),
  /** An app that asks for no GPUs is kept off agents that offer GPUs (gpu scheduling behaviour "restricted"). */
  DECLINED_SCARCE_RESOURCES("DeclinedScarceResources");

  private final String wireName;

  RejectReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}

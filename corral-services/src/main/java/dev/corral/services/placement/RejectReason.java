package dev.corral.services.placement;

/**
 * Why an offer could not take an app's next instance, in the order the matcher checks. The wire names are
 * Marathon's (the queue's {@code rejectSummaryLastOffers}).
 */
public enum RejectReason {
  UNFULFILLED_ROLE("UnfulfilledRole"),
  UNFULFILLED_CONSTRAINT("UnfulfilledConstraint"),
  INSUFFICIENT_CPUS("InsufficientCpus"),
  INSUFFICIENT_MEMORY("InsufficientMemory"),
  INSUFFICIENT_DISK("InsufficientDisk"),
  INSUFFICIENT_GPUS("InsufficientGpus"),
  INSUFFICIENT_PORTS("InsufficientPorts");

  private final String wireName;

  RejectReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}

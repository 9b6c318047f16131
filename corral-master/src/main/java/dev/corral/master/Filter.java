package dev.corral.master;

import dev.corral.api.ResourceSet;
import java.time.Instant;

/**
 * A framework refused these resources of one agent until {@code until} (Decline, or the unused part of an
 * Accept). Like Mesos, the filter hides the agent only while what it could offer is within what was refused:
 * once more resources are freed there, the framework is offered them again.
 */
record Filter(ResourceSet refused, Instant until) {

  boolean hides(ResourceSet offerable, Instant now) {
    return now.isBefore(until) && refused.contains(offerable);
  }
}

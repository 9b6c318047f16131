package dev.corral.master;

import java.util.List;
import java.util.OptionalLong;

/**
 * One window of a maintenance schedule: machines unavailable from {@code startMillis} for
 * {@code durationMillis}, or with no announced end when it is empty. Immutable.
 */
public record MaintenanceWindow(List<MachineId> machines, long startMillis, OptionalLong durationMillis) {
  public MaintenanceWindow {
    machines = List.copyOf(machines);
  }

  /** Whether the window has not ended at {@code nowMillis}. */
  boolean notOver(long nowMillis) {
    return durationMillis.isEmpty() || nowMillis < startMillis + durationMillis.getAsLong();
  }
}

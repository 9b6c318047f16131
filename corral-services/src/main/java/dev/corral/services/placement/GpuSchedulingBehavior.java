package dev.corral.services.placement;

import java.util.Locale;

/**
 * Whether apps that ask for no GPUs may be placed on agents that offer GPUs (Marathon's
 * {@code --gpu_scheduling_behavior}). An app may override the scheduler's setting with the label
 * {@value #LABEL} (as in Marathon).
 */
public enum GpuSchedulingBehavior {
  /** GPU agents are kept for GPU apps: other apps decline their offers (DeclinedScarceResources). */
  RESTRICTED,
  /** Any app may use a GPU agent's other resources. */
  UNRESTRICTED;

  public static final String LABEL = "GPU_SCHEDULING_BEHAVIOR";

  /** Parses {@code restricted} or {@code unrestricted}, any case. */
  public static GpuSchedulingBehavior parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("gpu scheduling behavior must be restricted or unrestricted, not '" + text + "'");
    }
  }
}

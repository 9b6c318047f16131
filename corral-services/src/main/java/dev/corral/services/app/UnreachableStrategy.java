package dev.corral.services.app;

/**
 * What happens to an instance whose agent cannot be reached: after {@code inactiveAfterSeconds} it is
 * replaced (its task is killed, which takes effect if the agent comes back, so no duplicate survives a
 * healed partition), after {@code expungeAfterSeconds} it is forgotten. {@link #DISABLED} ("disabled" in
 * the app) never replaces it.
 */
public record UnreachableStrategy(double inactiveAfterSeconds, double expungeAfterSeconds, boolean enabled) {
  public static final UnreachableStrategy DEFAULT = new UnreachableStrategy(300, 600, true);
  public static final UnreachableStrategy DISABLED = new UnreachableStrategy(0, 0, false);
}

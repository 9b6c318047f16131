package dev.corral.services.app;

/** Which instances go first when an app scales down (Marathon's {@code killSelection}). */
public enum KillSelection {
  /** The most recently started instances first: the old, proven ones keep serving. Marathon's default. */
  YOUNGEST_FIRST,
  OLDEST_FIRST
}

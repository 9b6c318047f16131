package dev.corral.services.engine;

import dev.corral.services.app.Violation;
import java.util.List;

/** An API command refused before it changed anything; {@link #kind} says which HTTP answer fits. */
public final class CommandException extends RuntimeException {
  public enum Kind { INVALID, CONFLICT, NOT_FOUND, UNAVAILABLE }

  private final Kind kind;
  private final List<Violation> violations;

  public CommandException(Kind kind, String message, List<Violation> violations) {
    super(message, null, false, false);
    this.kind = kind;
    this.violations = List.copyOf(violations);
  }

  public static CommandException invalid(List<Violation> violations) {
    return new CommandException(Kind.INVALID, "Object is not valid", violations);
  }

  public static CommandException notFound(String message) {
    return new CommandException(Kind.NOT_FOUND, message, List.of());
  }

  public static CommandException conflict(String message) {
    return new CommandException(Kind.CONFLICT, message, List.of());
  }

  public Kind kind() {
    return kind;
  }

  public List<Violation> violations() {
    return violations;
  }
}

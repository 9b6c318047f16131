package dev.corral.services.engine;

import dev.corral.services.app.Violation;
import java.util.List;

/** An API command refused before it changed anything; {@link #kind} says which HTTP answer fits. */
public final class CommandException extends RuntimeException {
  public enum Kind { INVALID, CONFLICT, LOCKED, NOT_FOUND, UNAVAILABLE }

  private final Kind kind;
  private final List<Violation> violations;
  private final List<String> deploymentIds;

  public CommandException(Kind kind, String message, List<Violation> violations) {
    this(kind, message, violations, List.of());
  }

  private CommandException(Kind kind, String message, List<Violation> violations, List<String> deploymentIds) {
    super(message, null, false, false);
    this.kind = kind;
    this.violations = List.copyOf(violations);
    this.deploymentIds = List.copyOf(deploymentIds);
  }

  /** The change touches apps that running deployments are still changing (Marathon's 409 AppLocked). */
  public static CommandException locked(List<String> deploymentIds) {
    return new CommandException(Kind.LOCKED, "App is locked by one or more deployments. Override with the option"
        + " '?force=true'. View details at '/v2/deployments/" + deploymentIds.get(0) + "'.", List.of(),
        deploymentIds);
  }

  /** For {@link Kind#LOCKED}: the deployments in the way. */
  public List<String> deploymentIds() {
    return deploymentIds;
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

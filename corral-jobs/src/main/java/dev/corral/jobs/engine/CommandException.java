package dev.corral.jobs.engine;

/** A command refused for a reason the API reports with an HTTP status (404 unknown, 409 conflict). */
public final class CommandException extends RuntimeException {
  private final int status;

  public CommandException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static CommandException notFound(String message) {
    return new CommandException(404, message);
  }

  public static CommandException conflict(String message) {
    return new CommandException(409, message);
  }

  public int status() {
    return status;
  }
}

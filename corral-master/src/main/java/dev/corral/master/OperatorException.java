package dev.corral.master;

/**
 * An operator call the master refuses, with the HTTP status that says why (404 unknown agent, 409 a state
 * that does not allow it, 400 bad input) and a message that names the field or agent.
 */
public final class OperatorException extends RuntimeException {
  private final int status;

  public OperatorException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

package dev.corral.agent.exec;

/**
 * An exec that cannot happen, with the HTTP status that says why: 400 a bad request, 404 an unknown task,
 * 409 a task that is not running, 503 too many sessions, 500 the agent's own failure.
 */
public final class ExecException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ExecException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

package dev.corral.agent.fetch;

/** A fetch that failed; the message is what the task's TASK_FAILED update tells the user. */
public final class FetchException extends Exception {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}

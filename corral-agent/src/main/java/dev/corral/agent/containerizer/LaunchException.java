package dev.corral.agent.containerizer;

/** A task could not be started; the message is what the scheduler sees in TASK_FAILED. */
public final class LaunchException extends Exception {
  public LaunchException(String message) {
    super(message);
  }

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}

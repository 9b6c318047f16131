package dev.corral.agent.image;

/** A pull, load or unpack that did not work; the message is meant for the task's TASK_FAILED update. */
public final class ImageException extends Exception {
  public ImageException(String message) {
    super(message);
  }
}

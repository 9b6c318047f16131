package dev.corral.agent.files;

/** A request the files API refuses, with the HTTP status and a message meant for the user. */
public final class FilesException extends RuntimeException {
  private final int status;

  public FilesException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  static FilesException badRequest(String message) {
    return new FilesException(400, message);
  }

  static FilesException notFound(String message) {
    return new FilesException(404, message);
  }
}

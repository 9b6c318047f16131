package dev.corral.packages.repo;

/** A repository that cannot be read or parsed; the message says which and why. */
public final class RepositoryException extends Exception {
  public RepositoryException(String message) {
    super(message);
  }

  public RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

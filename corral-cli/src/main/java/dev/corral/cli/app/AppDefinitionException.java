package dev.corral.cli.app;

/** The app definition given to {@code app add} could not be read or is not a JSON object. */
final class AppDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AppDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}

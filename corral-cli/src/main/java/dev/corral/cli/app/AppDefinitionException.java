package dev.corral.cli.app;

/** The app definition given to {@code app add} could not be read or is not a JSON object. */
final class AppDefinitionException extends RuntimeException {
  AppDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}

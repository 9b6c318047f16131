package dev.corral.cli.input;

/** A definition file given to {@code add} or {@code update} could not be read or is not a JSON object. */
public final class DefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}

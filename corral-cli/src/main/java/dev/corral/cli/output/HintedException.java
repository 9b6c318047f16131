package dev.corral.cli.output;

import java.util.List;

/**
 * A failure the user can act on: a one-line message, then hint lines saying what to look at or run next.
 * The error reporter prints the message after {@code error:} and each hint indented below it.
 */
public class HintedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> hints;

  public HintedException(String message, List<String> hints) {
    super(message);
    this.hints = List.copyOf(hints);
  }

  public List<String> hints() {
    return hints;
  }
}

package dev.corral.cli.deployment;

import java.io.PrintWriter;

/**
 * The progress of a deployment on stdout. On a terminal it is one line rewritten in place (carriage return,
 * clear to end of line); elsewhere each change is its own line so that logs keep the history; with
 * {@code --json} nothing is shown, so that stdout stays JSON. Not thread-safe.
 */
final class ProgressLine {
  private static final String REWRITE = "\r\u001b[K";
  // A rewritten line must not wrap, or the carriage return only goes back to the start of its last row.
  static final int TERMINAL_WIDTH = 79;

  enum Mode { TERMINAL, PLAIN, QUIET }

  private final PrintWriter out;
  private final Mode mode;
  private String last;
  private boolean open;

  ProgressLine(PrintWriter out, Mode mode) {
    this.out = out;
    this.mode = mode;
  }

  static ProgressLine of(PrintWriter out, boolean terminal, boolean quiet) {
    return new ProgressLine(out, quiet ? Mode.QUIET : terminal ? Mode.TERMINAL : Mode.PLAIN);
  }

  /** Shows {@code text} as the current state, unless it is already what is shown. */
  void show(String text) {
    if (text.equals(last)) {
      return;
    }
    last = text;
    switch (mode) {
      case TERMINAL -> {
        out.print(REWRITE + fit(text));
        open = true;
      }
      case PLAIN -> out.println(text);
      case QUIET -> { }
    }
    out.flush();
  }

  /** Shows {@code text} as the final state and ends the line. */
  void finish(String text) {
    switch (mode) {
      case TERMINAL -> out.println(REWRITE + fit(text));
      case PLAIN -> {
        if (!text.equals(last)) {
          out.println(text);
        }
      }
      case QUIET -> { }
    }
    last = text;
    open = false;
    out.flush();
  }

  /** Ends a line left open on a terminal, keeping its text, so that an error printed next has its own line. */
  void end() {
    if (open) {
      out.println();
      out.flush();
      open = false;
    }
  }

  private static String fit(String text) {
    return text.length() <= TERMINAL_WIDTH ? text : text.substring(0, TERMINAL_WIDTH - 3) + "...";
  }
}

package dev.corral.cli;

import dev.corral.cli.http.ApiException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one {@code error: ...} line on stderr and exit code 1, instead of picocli's
 * stack trace. A user cannot act on a stack trace; they can act on "app /foo not found". Validation errors
 * (422) add one indented {@code path: error} line per problem.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (ex instanceof ApiException api) {
      err.println("error: " + api.getMessage() + " (" + api.status() + ")");
      for (String detail : api.details()) {
        err.println("  " + detail);
      }
    } else {
      err.println("error: " + describe(ex));
    }
    err.flush();
    return FAILURE;
  }

  // Our own exceptions carry a complete sentence; an unexpected one at least names its type.
  private static String describe(Exception ex) {
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      return ex.getClass().getName();
    }
    return message.lines().findFirst().orElse(message);
  }
}

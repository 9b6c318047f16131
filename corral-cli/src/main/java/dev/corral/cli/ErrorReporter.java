package dev.corral.cli;

import dev.corral.cli.http.ApiException;
import dev.corral.cli.output.HintedException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one {@code error: ...} line on stderr and exit code 1, instead of picocli's
 * stack trace. A user cannot act on a stack trace; they can act on "app /foo not found". Indented lines below
 * it say more: one {@code path: error} per validation problem (422), the deployments in the way of a write
 * (409) with what to do about them, or a failure's own hints.
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
      if (api.status() == 401) {
        err.println("  log in: corral auth login [--username NAME]   (corral up writes a context for its admin)");
      }
      if (!api.deployments().isEmpty()) {
        conflict(err, api, commandLine.getCommandSpec().findOption("--force") != null);
      }
    } else if (ex instanceof HintedException hinted) {
      err.println("error: " + hinted.getMessage());
      for (String hint : hinted.hints()) {
        err.println("  " + hint);
      }
    } else {
      err.println("error: " + describe(ex));
    }
    err.flush();
    return FAILURE;
  }

  // Marathon's own advice ("?force=true") speaks HTTP; say it in commands instead.
  private static void conflict(PrintWriter err, ApiException api, boolean hasForce) {
    for (String deployment : api.deployments()) {
      err.println("  in progress: deployment " + deployment);
    }
    for (String deployment : api.deployments()) {
      err.println("  wait for it: corral deployment watch " + deployment);
    }
    if (hasForce) {
      err.println("  or cancel it and go ahead: repeat with --force");
    }
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

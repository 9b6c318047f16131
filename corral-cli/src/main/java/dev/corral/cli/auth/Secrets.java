package dev.corral.cli.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a password: from a file, from the terminal without echo, or as the first line of stdin. */
final class Secrets {
  private Secrets() {}

  static String password(Path file, String prompt, Session session) {
    if (file != null) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    Console console = System.console();
    if (console != null && session.stdin() == System.in) {
      char[] typed = console.readPassword("%s", prompt);
      if (typed == null) {
        throw new IllegalArgumentException("no password given");
      }
      return new String(typed);
    }
    try {
      String line = new BufferedReader(new InputStreamReader(session.stdin(), StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("no password given (type it at the prompt, pipe it on stdin or pass"
            + " --password-file)");
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.corral.cli.pkg;

import dev.corral.cli.output.HintedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Asks before a change that starts or stops services, unless {@code --yes} was given. */
final class Confirmation {
  private Confirmation() {}

  /** True to go on; false when the user said no. Without an answer (stdin closed) it fails with a hint. */
  static boolean ask(PrintWriter out, InputStream stdin, String question) {
    out.print(question + " [yes/no]: ");
    out.flush();
    String answer;
    try {
      answer = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null) {
      out.println();
      throw new HintedException("no answer on stdin", List.of("pass --yes to go ahead without asking"));
    }
    String a = answer.trim().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}

package dev.corral.cli.output;

import java.nio.charset.Charset;

/**
 * Pass/fail marks for table cells: ✓ and ✗ where the terminal's charset has them, {@code ok} and {@code NO}
 * where it does not (a POSIX locale would print {@code ?} for both).
 */
public final class Marks {
  private final String pass;
  private final String fail;

  private Marks(String pass, String fail) {
    this.pass = pass;
    this.fail = fail;
  }

  /** Marks for the JVM's default charset, which is what the command line writes with. */
  public static Marks forDefaultCharset() {
    return forCharset(Charset.defaultCharset());
  }

  static Marks forCharset(Charset charset) {
    return charset.newEncoder().canEncode("✓✗") ? new Marks("✓", "✗") : new Marks("ok", "NO");
  }

  public String of(boolean passed) {
    return passed ? pass : fail;
  }
}

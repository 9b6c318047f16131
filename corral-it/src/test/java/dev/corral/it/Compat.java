package dev.corral.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared compatibility corpus (../shared/compat), present in CI and absent in a user's plain clone. */
final class Compat {
  private Compat() {}

  /** The corpus file, or null (with a note on stderr) when the corpus is not there. */
  static Path pathOrNull(String relative) {
    Path file = root().resolve(relative);
    if (Files.isRegularFile(file)) {
      return file;
    }
    System.err.println("note: " + file.toAbsolutePath() + " is missing; using the test's own copy of the definition");
    return null;
  }

  private static Path root() {
    return Path.of(System.getProperty("corral.compat", "../../shared/compat"));
  }

  /** The corpus file; skips the test with a visible reason when the corpus is not there. */
  static Path file(String relative) {
    Path file = root().resolve(relative);
    Assumptions.assumeTrue(Files.isRegularFile(file),
        "skipped: the compatibility corpus is not beside this clone (" + file.toAbsolutePath() + " is missing)");
    return file;
  }
}

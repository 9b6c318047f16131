package dev.corral.agent.fetch;

import java.nio.file.Path;

/**
 * Where in the sandbox a fetched artifact goes. A destPath is relative, has no {@code ..} and so can never
 * leave the sandbox. As in Mesos, it names the file to save as; one ending in {@code /} names a directory
 * (the file keeps the name from its URI).
 */
final class DestPath {
  private DestPath() {}

  /** Why {@code destPath} is not acceptable, or null when it is (empty is fine: the default). */
  static String problem(String destPath) {
    if (destPath.isEmpty()) {
      return null;
    }
    if (destPath.startsWith("/")) {
      return "destPath must be relative to the sandbox, got '" + destPath + "'";
    }
    for (String part : destPath.split("/")) {
      if (part.equals("..")) {
        return "destPath must not contain '..', got '" + destPath + "'";
      }
    }
    if (destPath.indexOf('\0') >= 0) {
      return "destPath must not contain a NUL character";
    }
    return null;
  }

  /** The file a URI with this destPath is saved as; {@code fileName} is the last segment of the URI. */
  static Path file(Path sandbox, String destPath, String fileName) throws FetchException {
    check(destPath);
    if (destPath.isEmpty()) {
      return inside(sandbox, fileName, false);
    }
    return inside(sandbox, destPath.endsWith("/") ? destPath + fileName : destPath, false);
  }

  /** The directory a destPath names, {@code fallback} when it is empty (maven:// jars). */
  static Path directory(Path sandbox, String destPath, String fallback) throws FetchException {
    check(destPath);
    return inside(sandbox, destPath.isEmpty() ? fallback : destPath, true);
  }

  private static void check(String destPath) throws FetchException {
    String problem = problem(destPath);
    if (problem != null) {
      throw new FetchException(problem);
    }
  }

  private static Path inside(Path sandbox, String relative, boolean sandboxItself) throws FetchException {
    Path p = sandbox.resolve(relative).normalize();
    if (!p.startsWith(sandbox) || (p.equals(sandbox) && !sandboxItself)) {
      throw new FetchException("'" + relative + "' does not name a file in the sandbox");
    }
    return p;
  }
}

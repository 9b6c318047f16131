package dev.corral.cli.http;

import java.util.regex.Pattern;

/**
 * The rules shared by app, pod and group ids: absolute slash-separated paths whose segments cannot change the
 * shape of a URL. Marathon itself only allows lowercase letters, digits, '-' and '.'; we are looser on purpose
 * so that the server's own validation message wins, and only refuse what would break the address.
 */
final class PathIds {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  private PathIds() {}

  /** {@code app}, {@code /app}, {@code group/app} and {@code /group/app/} all become {@code /group/app}. */
  static String normalize(String raw, String kind) {
    String s = raw.strip();
    if (s.startsWith("/")) {
      s = s.substring(1);
    }
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(kind + " id must not be empty");
    }
    return "/" + s;
  }

  /** Throws unless {@code path} is an absolute, non-root path of plain segments. */
  static void check(String path, String kind) {
    if (!path.startsWith("/") || path.length() == 1 || path.endsWith("/")) {
      throw new IllegalArgumentException(kind + " id must look like /group/" + kind + ", got '" + path + "'");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "invalid " + kind + " id '" + path + "': use letters, digits, '-' and '.' between slashes");
      }
    }
  }
}

package dev.corral.cli.http;

import java.util.regex.Pattern;

/**
 * A Marathon app id such as {@code /group/app}, always absolute. Users may leave out the leading slash; the id
 * stays a path, so {@code group/app} is addressed as {@code /v2/apps/group/app}, slashes kept as path
 * separators and nothing URL-encoded (that is how Marathon routes nested ids).
 */
public record AppId(String path) {
  // Marathon itself only allows lowercase letters, digits, '-' and '.'. We are looser on purpose so that the
  // server's own validation message wins; here we only refuse what would change the shape of the URL.
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  public AppId {
    if (!path.startsWith("/") || path.length() == 1 || path.endsWith("/")) {
      throw new IllegalArgumentException("app id must look like /group/app, got '" + path + "'");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "invalid app id '" + path + "': use letters, digits, '-' and '.' between slashes");
      }
    }
  }

  /** Accepts {@code app}, {@code /app}, {@code group/app} and {@code /group/app/}. */
  public static AppId parse(String raw) {
    String s = raw.strip();
    if (s.startsWith("/")) {
      s = s.substring(1);
    }
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("app id must not be empty");
    }
    return new AppId("/" + s);
  }

  /** {@code /v2/apps/group/app}. */
  public String apiPath() {
    return "/v2/apps" + path;
  }

  /** {@code /v2/apps/group/app/tasks}. */
  public String tasksPath() {
    return apiPath() + "/tasks";
  }

  @Override
  public String toString() {
    return path;
  }
}

package dev.corral.cli.http;

/**
 * A Marathon app id such as {@code /group/app}, always absolute. Users may leave out the leading slash; the id
 * stays a path, so {@code group/app} is addressed as {@code /v2/apps/group/app}, slashes kept as path
 * separators and nothing URL-encoded (that is how Marathon routes nested ids).
 */
public record AppId(String path) {
  public AppId {
    PathIds.check(path, "app");
  }

  /** Accepts {@code app}, {@code /app}, {@code group/app} and {@code /group/app/}. */
  public static AppId parse(String raw) {
    return new AppId(PathIds.normalize(raw, "app"));
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

package dev.corral.cli.http;

/**
 * A Marathon group id such as {@code /prod/web}. Unlike app and pod ids it may be the root group {@code /},
 * which holds everything.
 */
public record GroupId(String path) {
  public static final GroupId ROOT = new GroupId("/");

  public GroupId {
    if (!path.equals("/")) {
      PathIds.check(path, "group");
    }
  }

  /** Accepts {@code /}, {@code prod}, {@code /prod/web} and {@code prod/web/}. */
  public static GroupId parse(String raw) {
    return raw.strip().equals("/") ? ROOT : new GroupId(PathIds.normalize(raw, "group"));
  }

  public boolean isRoot() {
    return path.equals("/");
  }

  /** {@code /v2/groups/prod/web}; the root group is {@code /v2/groups}. */
  public String apiPath() {
    return "/v2/groups" + (isRoot() ? "" : path);
  }

  @Override
  public String toString() {
    return path;
  }
}

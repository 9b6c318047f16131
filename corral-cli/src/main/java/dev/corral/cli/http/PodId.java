package dev.corral.cli.http;

/** A Marathon pod id such as {@code /group/pod}; the same path rules as {@link AppId}. */
public record PodId(String path) {
  public PodId {
    PathIds.check(path, "pod");
  }

  /** Accepts {@code pod}, {@code /pod}, {@code group/pod} and {@code /group/pod/}. */
  public static PodId parse(String raw) {
    return new PodId(PathIds.normalize(raw, "pod"));
  }

  /** {@code /v2/pods/group/pod}. */
  public String apiPath() {
    return "/v2/pods" + path;
  }

  /** {@code /v2/pods/group/pod::status}: Marathon's live status of the pod and its instances. */
  public String statusPath() {
    return apiPath() + "::status";
  }

  @Override
  public String toString() {
    return path;
  }
}

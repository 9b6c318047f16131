package dev.corral.agent.image;

import java.util.regex.Pattern;

/**
 * A parsed image reference: {@code [REGISTRY/]NAME[:TAG][@sha256:DIGEST]}. The first path component is the
 * registry when it has a dot or a port, or is {@code localhost} (Docker's rule). Immutable.
 *
 * @param registry {@code host[:port]}, or "" when the reference names none
 * @param name the repository path, e.g. {@code library/busybox} or {@code tiny}
 * @param tag the tag; {@code latest} when neither a tag nor a digest is given, "" with only a digest
 * @param digest {@code sha256:HEX}, or ""
 */
public record ImageRef(String registry, String name, String tag, String digest) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  /** Parses {@code ref}; throws with the reason when it is not an image reference. */
  public static ImageRef parse(String ref) throws ImageException {
    String rest = ref.trim();
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new ImageException("'" + ref + "' is not an image reference: bad digest '" + digest + "'");
      }
    }
    String registry = "";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new ImageException("'" + ref + "' is not an image reference: bad tag '" + tag + "'");
      }
    } else if (digest.isEmpty()) {
      tag = "latest";
    }
    if (!NAME.matcher(rest).matches()) {
      throw new ImageException("'" + ref + "' is not an image reference: bad name '" + rest + "'");
    }
    return new ImageRef(registry, rest, tag, digest);
  }

  public ImageRef withRegistry(String value) {
    return new ImageRef(value, name, tag, digest);
  }

  /** {@code NAME[:TAG][@DIGEST]}, without the registry. */
  public String path() {
    return name + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
  }

  @Override
  public String toString() {
    return (registry.isEmpty() ? "" : registry + "/") + path();
  }
}

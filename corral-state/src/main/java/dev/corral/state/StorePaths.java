package dev.corral.state;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Helpers to build store paths; ids that contain '/' (app ids) are encoded into one path segment. */
public final class StorePaths {
  private StorePaths() {}

  public static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  public static String unsegment(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  public static String join(String parent, String child) {
    return parent.endsWith("/") ? parent + child : parent + "/" + child;
  }

  public static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  static void validate(String path) {
    if (!path.startsWith("/") || (path.length() > 1 && path.endsWith("/")) || path.contains("//")) {
      throw new IllegalArgumentException("invalid store path: " + path);
    }
  }
}

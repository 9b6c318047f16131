package dev.corral.state;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Helpers to build store paths; ids that contain '/' (app ids) are encoded into one path segment. */
public final class StorePaths {
  private StorePaths() {}

  public static String segment(String id) {
    // Most ids (instance and task ids) need no escaping: skip the encoder's copy on every store write.
    for (int i = 0; i < id.length(); i++) {
      if (!unreserved(id.charAt(i))) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
      }
    }
    return id;
  }

  /** The characters {@link URLEncoder} leaves as they are. */
  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
        || c == '_' || c == '*';
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

package dev.corral.gateway;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Rewrites a proxied app's redirects so that the browser stays under {@code /service/<name>/}: a path on the
 * app's own server ({@code /login}) or an absolute URL pointing at the task ({@code http://10.0.0.5:31000/x})
 * becomes {@code /service/<name>/login}. Relative references ({@code login}, {@code ../x}) already resolve
 * under the prefix and other hosts' URLs are left alone. Pure; thread-safe.
 */
public final class Locations {
  private Locations() {}

  /**
   * @param prefix e.g. {@code /service/flink}, without a trailing slash
   * @param targetAuthority the task's {@code host:port}
   */
  public static String rewrite(String location, String prefix, String targetAuthority) {
    if (location == null || location.isEmpty()) {
      return location;
    }
    if (location.startsWith("//")) {
      return rewriteAbsolute("http:" + location, location, prefix, targetAuthority);
    }
    if (location.startsWith("/")) {
      return location.equals(prefix) || location.startsWith(prefix + "/") ? location : prefix + location;
    }
    return rewriteAbsolute(location, location, prefix, targetAuthority);
  }

  private static String rewriteAbsolute(String parsed, String original, String prefix, String targetAuthority) {
    try {
      URI uri = new URI(parsed);
      if (uri.getScheme() == null || uri.getRawAuthority() == null
          || !uri.getRawAuthority().equalsIgnoreCase(targetAuthority)) {
        return original; // relative, or another server's address
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return prefix + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
          + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    } catch (URISyntaxException e) {
      return original;
    }
  }
}

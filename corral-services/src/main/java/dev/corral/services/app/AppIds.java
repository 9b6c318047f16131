package dev.corral.services.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Marathon's app id rules. An id is a path such as {@code /prod/web}; each segment is made of dot-separated
 * labels of lowercase letters, digits and dashes that neither begin nor end with a dash. A relative id
 * ({@code web}) is taken relative to the root; {@code .} and {@code ..} segments are resolved.
 */
public final class AppIds {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private AppIds() {}

  /** The absolute, canonical form of {@code raw}; throws {@link IllegalArgumentException} saying why not. */
  public static String canonical(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = raw.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        // Only a leading or a trailing slash may produce an empty part.
        if (i == 0 || i == parts.length - 1) {
          continue;
        }
        throw new IllegalArgumentException("must not contain empty path segments ('//')");
      }
      if (part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (segments.isEmpty()) {
          throw new IllegalArgumentException("'..' must not go above the root");
        }
        segments.removeLast();
        continue;
      }
      if (!validSegment(part)) {
        throw new IllegalArgumentException("path segment '" + part + "' is invalid: use lowercase letters, digits,"
            + " dashes and dots; a segment must not begin or end with a dash or a dot");
      }
      segments.addLast(part);
    }
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("must name an app, not the root group");
    }
    return "/" + String.join("/", segments);
  }

  /**
   * Resolves a reference written inside group {@code base} ("/" for the root): absolute ids stay as they are,
   * relative ones ({@code db}, {@code ../db}) are taken from the group.
   */
  public static String resolve(String base, String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (raw.startsWith("/")) {
      return canonical(raw);
    }
    return canonical((base.endsWith("/") ? base : base + "/") + raw);
  }

  /** The group an id belongs to: "/prod" for "/prod/web", "/" for "/web". */
  public static String parent(String id) {
    int slash = id.lastIndexOf('/');
    return slash <= 0 ? "/" : id.substring(0, slash);
  }

  static boolean validSegment(String segment) {
    for (String label : segment.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Marathon's task id prefix: the id without its leading slash, '/' replaced by '_' ({@code prod_web}). */
  public static String taskPrefix(String appId) {
    return appId.substring(1).replace('/', '_');
  }

  /**
   * The app or pod id inside a task id this scheduler made: {@code /prod/web} from {@code prod_web.<uuid>}
   * (an app's task, a pod instance) or {@code prod_web.<uuid>.<container>} (a pod's container). Unambiguous
   * because ids never contain {@code _}, and a segment's own dots come before the uuid. Empty for ids of
   * another form.
   */
  public static Optional<String> ofTaskId(String taskId) {
    if (taskId == null) {
      return Optional.empty();
    }
    String[] parts = taskId.split("\\.", -1);
    for (int i = parts.length - 1; i >= 1; i--) {
      if (UUID.matcher(parts[i]).matches() && parts.length - i <= 2) {
        String prefix = String.join(".", java.util.Arrays.copyOfRange(parts, 0, i));
        if (prefix.startsWith("_") || prefix.contains("__") || prefix.contains("_.") || prefix.contains("._")
            || prefix.startsWith(".")) {
          return Optional.empty(); // no '.' or '..' segment resolved here: only what taskPrefix can make
        }
        try {
          return Optional.of(canonical("/" + prefix.replace('_', '/')));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}

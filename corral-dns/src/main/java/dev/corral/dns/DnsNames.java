package dev.corral.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * DNS labels for app ids and VIP names, the Mesos-DNS way: the path's segments in reverse order joined by
 * dashes ({@code /a/b/app} → {@code app-b-a}), so that the most specific part leads and the name stays one
 * label. Pure functions.
 */
public final class DnsNames {
  /** The longest label DNS allows (RFC 1035). */
  static final int MAX_LABEL = 63;

  private DnsNames() {}

  /** {@code /a/b/app} → {@code app-b-a}; each segment made a valid label first. */
  public static String flatten(String path) {
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    Collections.reverse(segments);
    return label(String.join("-", segments));
  }

  /**
   * A valid hostname label: lower case, anything but {@code [a-z0-9-]} replaced by a dash (a dot in an id
   * would otherwise split the label), no leading or trailing dash, at most 63 characters.
   */
  public static String label(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '-');
    }
    String s = trimDashes(b.toString());
    if (s.length() > MAX_LABEL) {
      s = trimDashes(s.substring(0, MAX_LABEL));
    }
    return s;
  }

  /** The label of one task of an app, for SRV targets: {@code <app>-<first 8 of the task id's unique part>}. */
  public static String taskLabel(String appLabel, String taskId) {
    int dot = taskId.lastIndexOf('.');
    String unique = label(dot >= 0 ? taskId.substring(dot + 1) : taskId).replace("-", "");
    if (unique.length() > 8) {
      unique = unique.substring(0, 8);
    }
    String head = appLabel.length() > MAX_LABEL - 9 ? trimDashes(appLabel.substring(0, MAX_LABEL - 9)) : appLabel;
    return head + "-" + unique;
  }

  private static String trimDashes(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '-') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == '-') {
      to--;
    }
    return s.substring(from, to);
  }
}

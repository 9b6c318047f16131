package dev.corral.dist;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes on the command line: {@code 1048576}, {@code 512K}/{@code 512KiB}, {@code 10M}/{@code 10MiB}, {@code 1G}. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?");

  private Sizes() {}

  static long parse(String text, String flag) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(flag + " must be a size such as 10MiB, 512KiB or 1048576, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "k":
        return n * 1024;
      case "m":
        return n * 1024 * 1024;
      case "g":
        return n * 1024 * 1024 * 1024;
      default:
        return n;
    }
  }
}

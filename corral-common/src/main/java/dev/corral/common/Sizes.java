package dev.corral.common;

import java.util.Locale;

/** Byte sizes as people write them on command lines: {@code 2GiB}, {@code 512MiB}, {@code 100M}, {@code 1.5g}, bytes. */
public final class Sizes {
  private Sizes() {}

  /** Units are 1024-based; the {@code B}/{@code iB} suffix is optional. */
  public static long parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long unit = 1;
    if (!t.isEmpty() && "kmgt".indexOf(t.charAt(t.length() - 1)) >= 0) {
      unit = 1L << (10 * ("kmgt".indexOf(t.charAt(t.length() - 1)) + 1));
      t = t.substring(0, t.length() - 1).trim();
    }
    try {
      double value = Double.parseDouble(t);
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return (long) (value * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 2GiB, 512MiB, 1048576)", e);
    }
  }
}

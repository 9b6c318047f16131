package dev.corral.services.app;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Marathon's timestamp format: ISO-8601 in UTC with milliseconds, e.g. {@code 2015-09-25T15:13:48.343Z}. */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /**
   * Written digit by digit for years 1–9999: every event and every stored instance carries timestamps, and
   * the general formatter was 7 % of the scheduler's loop while 100,000 tasks were placed.
   */
  public static String format(Instant instant) {
    LocalDateTime t = dateTime(instant);
    if (t == null) {
      return FORMAT.format(instant);
    }
    char[] out = new char[24];
    dateAndTime(out, t);
    out[19] = '.';
    digits(out, 20, instant.getNano() / 1_000_000, 3);
    out[23] = 'Z';
    return new String(out);
  }

  /**
   * Exactly {@link Instant#toString()} (ISO-8601 in UTC, the fraction in groups of three digits as needed, none
   * for whole seconds), written digit by digit for years 1–9999 like {@link #format}: the stored form of every
   * instance carries two or three of these.
   */
  public static String iso(Instant instant) {
    LocalDateTime t = dateTime(instant);
    if (t == null) {
      return instant.toString();
    }
    int nano = instant.getNano();
    int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    char[] out = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
    dateAndTime(out, t);
    if (fraction > 0) {
      out[19] = '.';
      digits(out, 20, fraction == 3 ? nano / 1_000_000 : fraction == 6 ? nano / 1_000 : nano, fraction);
    }
    out[out.length - 1] = 'Z';
    return new String(out);
  }

  /** The instant's date and time in UTC; null outside years 1–9999 (the general formatters take those). */
  private static LocalDateTime dateTime(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    // the pattern writes the year of era (year 0 is 1 BC); Instant#toString signs years past 9999
    return t.getYear() < 1 || t.getYear() > 9999 ? null : t;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} into the first 19 characters. */
  private static void dateAndTime(char[] out, LocalDateTime t) {
    digits(out, 0, t.getYear(), 4);
    out[4] = '-';
    digits(out, 5, t.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, t.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, t.getHour(), 2);
    out[13] = ':';
    digits(out, 14, t.getMinute(), 2);
    out[16] = ':';
    digits(out, 17, t.getSecond(), 2);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}

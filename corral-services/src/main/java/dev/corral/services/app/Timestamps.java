package dev.corral.services.app;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Marathon's timestamp format: ISO-8601 in UTC with milliseconds, e.g. {@code 2015-09-25T15:13:48.343Z}. */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}

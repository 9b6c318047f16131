package dev.corral.jobs.cron;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A classic five-field cron expression (minute hour day-of-month month day-of-week) as Metronome accepts it:
 * {@code *}, lists, ranges, steps, month and weekday names, Sunday as 0 or 7, and the Vixie rule that when
 * both day fields are restricted a day matching either one matches.
 *
 * <p>Time zones: occurrences are local times in the schedule's zone, turned into instants by
 * {@link #next(Instant, ZoneId)} with two rules for daylight-saving changes:
 * <ul>
 *   <li>a local time that does not exist (the clocks jump over it) runs once, at the first instant after
 *       the gap; several such times in one gap collapse into that single run;</li>
 *   <li>a local time that exists twice (the clocks go back) runs once, at its first occurrence.</li>
 * </ul>
 * Written here rather than taken from a library because these rules need the search to step through local
 * times, which the libraries we looked at do not expose. Immutable and thread-safe.
 */
public final class CronExpression {
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** How far ahead to look for a matching day: a leap day on a given weekday can be decades away. */
  private static final int MAX_DAYS = 366 * 30;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronExpression(String text, String[] f) {
    this.text = text;
    minutes = field(f[0], "minute", 0, 59, List.of(), 0);
    hours = field(f[1], "hour", 0, 23, List.of(), 0);
    daysOfMonth = field(f[2], "day of month", 1, 31, List.of(), 0);
    months = field(f[3], "month", 1, 12, MONTHS, 1);
    daysOfWeek = field(f[4], "day of week", 0, 7, DAYS, 0);
    if (daysOfWeek.get(7)) {
      daysOfWeek.set(0);
    }
    anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
    anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
  }

  /** Parses; fails with a message fit for an API answer. */
  public static CronExpression parse(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), got "
          + (text.isBlank() ? 0 : f.length));
    }
    return new CronExpression(text.trim(), f);
  }

  public String text() {
    return text;
  }

  /** Whether this local minute is an occurrence. */
  public boolean matches(LocalDateTime t) {
    return dayMatches(t.toLocalDate()) && hours.get(t.getHour()) && minutes.get(t.getMinute());
  }

  /**
   * The first occurrence strictly after {@code after}, with the daylight-saving rules of the class comment;
   * null when there is none within decades (e.g. 30 February).
   */
  public Instant next(Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    while (true) {
      LocalDateTime candidate = nextLocal(from);
      if (candidate == null) {
        return null;
      }
      Instant at = resolve(candidate, rules);
      if (at.isAfter(after)) {
        return at;
      }
      from = candidate.plusMinutes(1);
    }
  }

  /** The local time as an instant: the end of the gap for a skipped time, the first of a repeated one. */
  private static Instant resolve(LocalDateTime local, ZoneRules rules) {
    ZoneOffsetTransition transition = rules.getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    Instant first = null;
    for (ZoneOffset offset : rules.getValidOffsets(local)) {
      Instant at = local.toInstant(offset);
      if (first == null || at.isBefore(first)) {
        first = at;
      }
    }
    return first;
  }

  /** The first matching local minute at or after {@code from}. */
  private LocalDateTime nextLocal(LocalDateTime from) {
    LocalDate day = from.toLocalDate();
    int startMinute = from.getHour() * 60 + from.getMinute();
    for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1), startMinute = 0) {
      if (!dayMatches(day)) {
        continue;
      }
      for (int h = hours.nextSetBit(startMinute / 60); h >= 0; h = hours.nextSetBit(h + 1)) {
        int m = minutes.nextSetBit(h * 60 >= startMinute ? 0 : startMinute % 60);
        if (m >= 0) {
          return day.atTime(h, m);
        }
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDate d) {
    if (!months.get(d.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(d.getDayOfMonth());
    boolean dow = daysOfWeek.get(d.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : d.getDayOfWeek().getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String text, String name, int min, int max, List<String> names, int nameBase) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), name, 1, max, List.of(), 0);
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max;
      } else {
        int dash = range.indexOf('-');
        lo = number(dash < 0 ? range : range.substring(0, dash), name, min, max, names, nameBase);
        hi = dash < 0 ? (slash >= 0 ? max : lo) : number(range.substring(dash + 1), name, min, max, names, nameBase);
        if (hi < lo) {
          throw new IllegalArgumentException(name + " range '" + range + "' runs backwards");
        }
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, String name, int min, int max, List<String> names, int nameBase) {
    int i = names.indexOf(s.toUpperCase(Locale.ROOT));
    if (i >= 0) {
      return i + nameBase;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException(name + " " + v + " is out of range " + min + "-" + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a valid " + name);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}

package dev.corral.jobs.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void stepsListsRangesAndNames() {
    CronExpression c = CronExpression.parse("*/15 9-17 * JAN-MAR MON,FRI");
    // 2026-01-02 is a Friday.
    assertThat(c.next(Instant.parse("2026-01-02T09:07:00Z"), UTC)).isEqualTo("2026-01-02T09:15:00Z");
    assertThat(c.next(Instant.parse("2026-01-02T17:45:00Z"), UTC)).isEqualTo("2026-01-05T09:00:00Z");
  }

  @Test
  void restrictedDayOfMonthAndWeekMatchEither() {
    CronExpression c = CronExpression.parse("0 0 13 * 5");
    // Either the 13th or a Friday: 2026-02-06 is a Friday, before the 13th.
    assertThat(c.next(Instant.parse("2026-02-01T00:00:00Z"), UTC)).isEqualTo("2026-02-06T00:00:00Z");
  }

  @Test
  void sundayIsZeroOrSeven() {
    assertThat(CronExpression.parse("0 0 * * 7").next(Instant.parse("2026-03-02T00:00:00Z"), UTC))
        .isEqualTo("2026-03-08T00:00:00Z");
  }

  @Test
  void invalidExpressionsSayWhy() {
    assertThatThrownBy(() -> CronExpression.parse("* * *")).hasMessageContaining("expected 5 fields");
    assertThatThrownBy(() -> CronExpression.parse("60 * * * *")).hasMessageContaining("minute 60 is out of range");
    assertThatThrownBy(() -> CronExpression.parse("* * * FOO *")).hasMessageContaining("not a valid month");
  }

  @Test
  void aTimeInTheSpringGapRunsOnceRightAfterIt() {
    CronExpression c = CronExpression.parse("30 2 * * *");
    // 2026-03-28 02:30 CET; 2026-03-29 02:30 does not exist (02:00 CET -> 03:00 CEST at 01:00Z).
    Instant first = c.next(Instant.parse("2026-03-28T00:00:00Z"), BERLIN);
    assertThat(first).isEqualTo("2026-03-28T01:30:00Z");
    Instant gap = c.next(first, BERLIN);
    assertThat(gap).isEqualTo("2026-03-29T01:00:00Z");
    assertThat(c.next(gap, BERLIN)).isEqualTo("2026-03-30T00:30:00Z");
  }

  @Test
  void severalTimesInTheGapCollapseIntoOneRun() {
    CronExpression c = CronExpression.parse("*/20 * * * *");
    Instant t = c.next(Instant.parse("2026-03-29T00:50:00Z"), BERLIN);
    assertThat(t).isEqualTo("2026-03-29T01:00:00Z");
    assertThat(c.next(t, BERLIN)).isEqualTo("2026-03-29T01:20:00Z");
  }

  @Test
  void aRepeatedTimeRunsOnceAtItsFirstOccurrence() {
    CronExpression c = CronExpression.parse("30 2 * * *");
    // 2026-10-25: 03:00 CEST -> 02:00 CET at 01:00Z, so 02:30 happens at 00:30Z and again at 01:30Z.
    Instant first = c.next(Instant.parse("2026-10-24T12:00:00Z"), BERLIN);
    assertThat(first).isEqualTo("2026-10-25T00:30:00Z");
    assertThat(c.next(first, BERLIN)).isEqualTo("2026-10-26T01:30:00Z");
  }

  @Test
  void theRepeatedHourIsNotRunTwiceByHourlySchedules() {
    CronExpression c = CronExpression.parse("0 * * * *");
    Instant t = Instant.parse("2026-10-24T23:30:00Z");
    java.util.List<Instant> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      t = c.next(t, BERLIN);
      seen.add(t);
    }
    // 02:00 CEST, then 03:00, 04:00, 05:00 CET: the second 02:00 (CET, 01:00Z) does not run.
    assertThat(seen).containsExactly(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"),
        Instant.parse("2026-10-25T03:00:00Z"), Instant.parse("2026-10-25T04:00:00Z"));
  }
}

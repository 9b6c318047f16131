package dev.corral.jobs.spec;

import dev.corral.jobs.cron.CronExpression;
import java.time.ZoneId;

/**
 * A job's schedule: runs start at the occurrences of {@code cron} in {@code timezone}.
 *
 * @param startingDeadlineSeconds how late after its occurrence a run may still start (missed-run rule)
 * @param concurrencyPolicy ALLOW starts a run while another runs; FORBID skips the occurrence then
 */
public record ScheduleSpec(String id, CronExpression cron, ZoneId timezone, int startingDeadlineSeconds,
    String concurrencyPolicy, boolean enabled) {
  /** Metronome's default starting deadline. */
  public static final int DEFAULT_STARTING_DEADLINE = 900;

  public boolean forbidsConcurrency() {
    return concurrencyPolicy.equals("FORBID");
  }
}

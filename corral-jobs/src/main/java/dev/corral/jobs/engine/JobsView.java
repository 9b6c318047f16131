package dev.corral.jobs.engine;

import dev.corral.jobs.run.JobHistory;
import dev.corral.jobs.run.JobRun;
import dev.corral.jobs.spec.JobSpec;
import dev.corral.jobs.spec.ScheduleSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A consistent, immutable snapshot of jobs, schedules (with their next run), live runs and histories. */
public record JobsView(Map<String, JobSpec> jobs, Map<String, List<Schedule>> schedules,
    Map<String, List<JobRun>> runs, Map<String, JobHistory> history) {
  public JobsView {
    jobs = Map.copyOf(jobs);
    schedules = Map.copyOf(schedules);
    runs = Map.copyOf(runs);
    history = Map.copyOf(history);
  }

  /** A schedule and its next occurrence (null when disabled or never). */
  public record Schedule(ScheduleSpec spec, Instant nextRunAt) {}

  public List<Schedule> schedulesOf(String jobId) {
    return schedules.getOrDefault(jobId, List.of());
  }

  public List<JobRun> runsOf(String jobId) {
    return runs.getOrDefault(jobId, List.of());
  }

  public JobHistory historyOf(String jobId) {
    return history.getOrDefault(jobId, JobHistory.EMPTY);
  }
}

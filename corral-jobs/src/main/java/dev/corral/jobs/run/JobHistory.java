package dev.corral.jobs.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's finished runs: counts, the last success and failure, and the newest {@value #KEEP} runs of each
 * kind (Metronome's {@code history}). Hard state: one store node per job.
 */
public record JobHistory(long successCount, long failureCount, Instant lastSuccessAt, Instant lastFailureAt,
    List<FinishedRun> successfulFinishedRuns, List<FinishedRun> failedFinishedRuns) {
  public static final int KEEP = 10;
  public static final JobHistory EMPTY = new JobHistory(0, 0, null, null, List.of(), List.of());

  public JobHistory {
    successfulFinishedRuns = List.copyOf(successfulFinishedRuns);
    failedFinishedRuns = List.copyOf(failedFinishedRuns);
  }

  /** A finished run as history keeps it. */
  public record FinishedRun(String id, Instant createdAt, Instant finishedAt, List<String> tasks) {
    public FinishedRun {
      tasks = List.copyOf(tasks);
    }
  }

  /** The history with a final run added at the front of its list. */
  public JobHistory with(JobRun run) {
    FinishedRun f = new FinishedRun(run.id(), run.createdAt(), run.completedAt(),
        run.tasks().stream().map(RunTask::id).toList());
    if (run.status() == RunState.SUCCESS) {
      return new JobHistory(successCount + 1, failureCount, run.completedAt(), lastFailureAt,
          prepend(f, successfulFinishedRuns), failedFinishedRuns);
    }
    return new JobHistory(successCount, failureCount + 1, lastSuccessAt, run.completedAt(), successfulFinishedRuns,
        prepend(f, failedFinishedRuns));
  }

  private static List<FinishedRun> prepend(FinishedRun f, List<FinishedRun> list) {
    List<FinishedRun> out = new ArrayList<>();
    out.add(f);
    out.addAll(list.subList(0, Math.min(list.size(), KEEP - 1)));
    return out;
  }
}

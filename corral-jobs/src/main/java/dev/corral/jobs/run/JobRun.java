package dev.corral.jobs.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a job: hard state, persisted on every change (one store node per run while it is live).
 *
 * @param waitingSince when the run last entered INITIAL: maxLaunchDelay counts from here
 * @param stopping a stop was asked for: the task is being killed and the run ends FAILED without retry
 */
public record JobRun(String id, String jobId, RunState status, Instant createdAt, Instant completedAt,
    Instant waitingSince, boolean stopping, List<RunTask> tasks) {
  public JobRun {
    tasks = List.copyOf(tasks);
  }

  public static JobRun created(String id, String jobId, Instant now) {
    return new JobRun(id, jobId, RunState.INITIAL, now, null, now, false, List.of());
  }

  /** The current task: the last one launched, when it has not ended. */
  public RunTask liveTask() {
    if (tasks.isEmpty()) {
      return null;
    }
    RunTask last = tasks.get(tasks.size() - 1);
    return last.completedAt() == null ? last : null;
  }

  /** A move to {@code to}, checked against {@link RunState#TRANSITIONS}. */
  public JobRun moveTo(RunState to, Instant now) {
    RunState.TRANSITIONS.check(status, to);
    return new JobRun(id, jobId, to, createdAt, to.isFinal() ? now : null, to == RunState.INITIAL ? now : waitingSince,
        stopping, tasks);
  }

  public JobRun withTask(RunTask task) {
    List<RunTask> out = new ArrayList<>();
    boolean replaced = false;
    for (RunTask t : tasks) {
      if (t.id().equals(task.id())) {
        out.add(task);
        replaced = true;
      } else {
        out.add(t);
      }
    }
    if (!replaced) {
      out.add(task);
    }
    return new JobRun(id, jobId, status, createdAt, completedAt, waitingSince, stopping, out);
  }

  public JobRun asStopping() {
    return new JobRun(id, jobId, status, createdAt, completedAt, waitingSince, true, tasks);
  }
}

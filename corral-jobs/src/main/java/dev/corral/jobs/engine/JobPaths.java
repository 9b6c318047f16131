package dev.corral.jobs.engine;

/**
 * Where the job scheduler keeps its hard state; one node per entity:
 * <pre>
 * /metronome/framework-id                       the framework id (UTF-8)
 * /metronome/jobs/&lt;jobId&gt;                        the job (Metronome JSON)
 * /metronome/schedules/&lt;jobId&gt;/&lt;scheduleId&gt;     a schedule, with the last occurrence handled (JSON)
 * /metronome/runs/&lt;jobId&gt;/&lt;runId&gt;              a live run (JSON); deleted when it finishes
 * /metronome/history/&lt;jobId&gt;                     counts and the last finished runs (JSON)
 * </pre>
 * Job ids and schedule ids are lowercase letters, digits, dashes and dots: safe as path segments.
 */
public final class JobPaths {
  public static final String ROOT = "/metronome";
  public static final String FRAMEWORK_ID = ROOT + "/framework-id";
  public static final String JOBS = ROOT + "/jobs";
  public static final String SCHEDULES = ROOT + "/schedules";
  public static final String RUNS = ROOT + "/runs";
  public static final String HISTORY = ROOT + "/history";

  private JobPaths() {}

  public static String job(String jobId) {
    return JOBS + "/" + jobId;
  }

  public static String schedules(String jobId) {
    return SCHEDULES + "/" + jobId;
  }

  public static String schedule(String jobId, String scheduleId) {
    return schedules(jobId) + "/" + scheduleId;
  }

  public static String runs(String jobId) {
    return RUNS + "/" + jobId;
  }

  public static String run(String jobId, String runId) {
    return runs(jobId) + "/" + runId;
  }

  public static String history(String jobId) {
    return HISTORY + "/" + jobId;
  }
}

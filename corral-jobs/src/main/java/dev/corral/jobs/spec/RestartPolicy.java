package dev.corral.jobs.spec;

/**
 * What happens when a run's task fails: NEVER ends the run FAILED; ON_FAILURE launches a new task until
 * {@code activeDeadlineSeconds} after the run was created (forever when null).
 */
public record RestartPolicy(String policy, Integer activeDeadlineSeconds) {
  public static final RestartPolicy NEVER = new RestartPolicy("NEVER", null);

  public boolean onFailure() {
    return policy.equals("ON_FAILURE");
  }
}

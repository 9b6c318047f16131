package dev.corral.jobs;

/**
 * How the job scheduler registers with the master.
 *
 * @param user the user tasks run as when a job names none; "" leaves it to the agent
 */
public record JobsConfig(String frameworkName, String role, String user, String hostname) {
  public static JobsConfig defaults(String hostname) {
    return new JobsConfig("metronome", "*", "", hostname);
  }
}

package dev.corral.agent.containerizer;

/**
 * What is known about a task after it ended.
 *
 * @param exitStatus the shell's {@code $?} as the monitor recorded it (128+N for signal N), or null when the
 *     monitor died without recording one
 * @param oomKilled whether the task's memory cgroup saw an OOM kill
 */
public record ExitFacts(Integer exitStatus, boolean oomKilled) {
  /** The signal that ended the command, or 0 when it exited on its own (or the status is unknown). */
  public int signal() {
    return exitStatus != null && exitStatus > 128 && exitStatus <= 128 + 64 ? exitStatus - 128 : 0;
  }
}

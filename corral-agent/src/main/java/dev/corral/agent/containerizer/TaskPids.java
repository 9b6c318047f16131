package dev.corral.agent.containerizer;

/**
 * The processes of one task: its monitor and the task itself (also its process group id and session id,
 * since the task is a session leader). Start times are field 22 of {@code /proc/PID/stat} (clock ticks since
 * boot) and tell a live process from a later one that reused the pid; 0 means unknown (the process was gone
 * before it could be read).
 */
public record TaskPids(long monitorPid, long monitorStart, long taskPid, long taskStart) {

  /** The checkpoint form: four numbers on one line. */
  public String toText() {
    return monitorPid + " " + monitorStart + " " + taskPid + " " + taskStart + "\n";
  }

  public static TaskPids fromText(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length != 4) {
      throw new IllegalArgumentException("expected 4 numbers, got '" + text.trim() + "'");
    }
    return new TaskPids(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }
}

package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.TaskCgroup;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a {@link MonitorScript} and waits for the {@code MONITOR_PID TASK_PID} line it prints once the
 * task's process exists. Shared by every containerizer, so all tasks are watched the same way. Stateless.
 */
public final class MonitorStart {
  private MonitorStart() {}

  /**
   * Starts {@code pb} (argv and environment already set) with stdin from /dev/null and stderr appended to
   * the sandbox's {@code stderr}, where the monitor's rare complaints are read alongside the task's own.
   */
  public static Launched start(ProcessBuilder pb, Path sandbox, TaskCgroup cgroup, String containerizer)
      throws LaunchException {
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stderr").toFile()));
    Process monitor;
    try {
      monitor = pb.start();
    } catch (IOException e) {
      throw new LaunchException("cannot start the task monitor: " + e.getMessage(), e);
    }
    String line;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(monitor.getInputStream(), StandardCharsets.US_ASCII))) {
      line = out.readLine();
    } catch (IOException e) {
      line = null;
    }
    String[] f = line == null ? new String[0] : line.trim().split("\\s+");
    if (f.length != 2) {
      monitor.destroyForcibly();
      throw new LaunchException("the task monitor failed to start the task: " + monitorLog(sandbox));
    }
    long monitorPid = Long.parseLong(f[0]);
    long taskPid = Long.parseLong(f[1]);
    TaskPids pids = new TaskPids(monitorPid, ProcStat.startTime(monitorPid), taskPid, ProcStat.startTime(taskPid));
    // The monitor is the process we started; should that ever differ, the task is watched by polling.
    return new Launched(pids, monitor.pid() == monitorPid ? monitor : null, cgroup, containerizer);
  }

  private static String monitorLog(Path sandbox) {
    try {
      String text = Files.readString(sandbox.resolve("stderr"), StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? "no output" : text;
    } catch (IOException e) {
      return "no output";
    }
  }
}

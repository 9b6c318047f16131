package dev.corral.agent;

import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.TaskPids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test hygiene: kills every process group and monitor a test's agent started (found through the work dir's
 * checkpoint, so only ours) and removes the tasks' cgroups. Never matches processes by name.
 */
final class Leftovers {
  private Leftovers() {}

  static void killAll(Path workDir) throws Exception {
    Path tasks = workDir.resolve("meta/tasks");
    List<String> ids = new ArrayList<>();
    Path sandboxes = workDir.resolve("sandboxes");
    if (Files.isDirectory(sandboxes)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(sandboxes)) {
        ds.forEach(p -> ids.add(p.getFileName().toString()));
      }
    }
    if (Files.isDirectory(tasks)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
        for (Path dir : ds) {
          Path pidsFile = dir.resolve("pids");
          if (Files.exists(pidsFile)) {
            TaskPids pids = TaskPids.fromText(Files.readString(pidsFile, StandardCharsets.US_ASCII));
            if (ProcStat.alive(pids.taskPid(), pids.taskStart())) {
              run("kill", "-s", "KILL", "--", "-" + pids.taskPid());
            }
            if (ProcStat.alive(pids.monitorPid(), pids.monitorStart())) {
              ProcessHandle.of(pids.monitorPid()).ifPresent(ProcessHandle::destroyForcibly);
            }
          }
        }
      }
    }
    for (String id : ids) {
      for (Path dir : List.of(Path.of("/sys/fs/cgroup/cpu/corral", id), Path.of("/sys/fs/cgroup/memory/corral", id),
          Path.of("/sys/fs/cgroup/pids/corral", id), Path.of("/sys/fs/cgroup/corral.slice", id))) {
        removeCgroup(dir);
      }
    }
  }

  private static void removeCgroup(Path dir) throws Exception {
    for (int i = 0; i < 100 && Files.isDirectory(dir); i++) {
      for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      try {
        Files.delete(dir);
      } catch (IOException e) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    p.waitFor(5, TimeUnit.SECONDS);
  }
}

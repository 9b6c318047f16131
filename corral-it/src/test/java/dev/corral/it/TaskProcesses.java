package dev.corral.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds task processes through /proc: a task runs with its sandbox as working directory. Tests use it to
 * SIGKILL a task from outside and to clean up only the processes that ran under their own work dir.
 */
final class TaskProcesses {
  private TaskProcesses() {}

  record Proc(long pid, Path cwd, String cmdline) {}

  static List<Proc> under(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    List<Proc> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          Path cwd = Files.readSymbolicLink(p.resolve("cwd"));
          if (cwd.startsWith(root)) {
            String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
            out.add(new Proc(Long.parseLong(name), cwd, cmdline));
          }
        } catch (IOException | SecurityException ignored) {
          // the process ended or is not ours to read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The pid of the task process running {@code command} in the sandbox of {@code taskId}. */
  static long pidOf(Path workDir, String taskId, String command) {
    return under(workDir).stream()
        .filter(p -> p.cwd().getFileName().toString().equals(taskId) && p.cmdline().contains(command)
            && !p.cmdline().contains("monitor"))
        .mapToLong(Proc::pid)
        .min()
        .orElseThrow(() -> new AssertionError("no process of task " + taskId + " running '" + command + "' under "
            + workDir + "; found " + under(workDir)));
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static void signalGroup(long pid, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-s", signal, "--", "-" + pid).inheritIO().start().waitFor();
  }

  /** SIGKILLs every process that still runs under {@code dir}: only what the test's own cluster started. */
  static void killAllUnder(Path dir) {
    for (Proc p : under(dir)) {
      ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}

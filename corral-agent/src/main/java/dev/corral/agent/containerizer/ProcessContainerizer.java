package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.CgroupLimits;
import dev.corral.agent.cgroups.DeviceRule;
import java.util.function.Function;
import dev.corral.agent.cgroups.Cgroups;
import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.TaskInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} containerizer: runs a task as a plain process tree under a {@link MonitorScript},
 * in per-task cgroups where the host allows them, with its sandbox as working directory.
 *
 * <p>Every method blocks (process spawns, file and cgroup I/O) and is meant for the agent's worker threads,
 * never its event loop. The class holds no mutable state and is safe to call from several threads at once;
 * the agent never runs two operations for the same task concurrently except a kill racing the task's end,
 * which is harmless (signals to a gone process are checked by start time or ignored).
 */
public final class ProcessContainerizer implements Containerizer {
  public static final String NAME = "process";
  private static final Logger log = LoggerFactory.getLogger(ProcessContainerizer.class);

  private final Cgroups cgroups;
  private final HostTools tools;
  private final Path monitorScript;
  private final String hostname;
  private final boolean root;
  private final Map<String, String> agentEnv;
  private final Function<TaskInfo, List<DeviceRule>> deniedDevices;

  public ProcessContainerizer(Cgroups cgroups, HostTools tools, Path monitorScript, String hostname,
      boolean root, Map<String, String> agentEnv) {
    this(cgroups, tools, monitorScript, hostname, root, agentEnv, task -> List.of());
  }

  /**
   * @param deniedDevices the devices a task may not open (the node's GPUs it was not given), put in its
   *     devices cgroup where the host has one
   */
  public ProcessContainerizer(Cgroups cgroups, HostTools tools, Path monitorScript, String hostname,
      boolean root, Map<String, String> agentEnv, Function<TaskInfo, List<DeviceRule>> deniedDevices) {
    this.deniedDevices = deniedDevices;
    this.cgroups = cgroups;
    this.tools = tools;
    this.monitorScript = monitorScript;
    this.hostname = hostname;
    this.root = root;
    this.agentEnv = Map.copyOf(agentEnv);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cannotRun(TaskInfo task) {
    if (!task.getContainer().getImage().isEmpty()) {
      return "the task has an image (" + task.getContainer().getImage() + "); only the oci containerizer runs images";
    }
    if (task.hasNetwork() && task.getNetwork().getMode() == dev.corral.api.v1.NetworkInfo.Mode.MODE_CONTAINER) {
      return "the task asks for a container network, which only the oci containerizer provides";
    }
    for (dev.corral.api.v1.VolumeMount m : task.getVolumeMountsList()) {
      if (m.getMountPath().startsWith("/")) {
        return "the task mounts a volume at " + m.getMountPath()
            + ", which needs a container (the oci containerizer); a path relative to the sandbox needs none";
      }
    }
    for (dev.corral.api.v1.SecretRef s : task.getSecretsList()) {
      if (s.getFilePath().startsWith("/")) {
        return "the task wants the secret " + s.getSource() + " at " + s.getFilePath()
            + ", which needs a container (the oci containerizer); a path relative to the sandbox needs none";
      }
    }
    return null;
  }

  /** Never claims a task: it runs whatever no other containerizer claims (see {@link Containerizers}). */
  @Override
  public boolean ran(Path metaDir) {
    return false;
  }

  @Override
  public String describeIsolation() {
    return cgroups.describe();
  }

  @Override
  public TaskCgroup cgroupOf(String taskId) {
    return cgroups.existing(taskId);
  }

  /**
   * Starts the task and returns once its pid is known. The sandbox and meta dir must exist. On failure,
   * nothing is left running and the task's cgroups are gone.
   */
  @Override
  public Launched launch(LaunchRequest req) throws LaunchException {
    TaskInfo task = req.task();
    CommandInfo command = task.getCommand();
    if (command.getValue().isEmpty()) {
      throw new LaunchException("the task has no command");
    }
    PosixUser user = resolveUser(command.getUser(), req.sandbox());
    GroupVolumes.prepare(task, req.sandbox(), true, null);
    TaskCgroup cgroup;
    try {
      Files.deleteIfExists(req.metaDir().resolve("exit_status"));
      cgroup = cgroups.create(task.getTaskId(),
          CgroupLimits.of(task.getResourcesList()).withDeniedDevices(deniedDevices.apply(task)));
    } catch (IOException e) {
      throw new LaunchException("cannot create cgroups: " + e.getMessage(), e);
    }
    try {
      return start(req, user, cgroup);
    } catch (LaunchException | RuntimeException e) {
      cgroup.killAll();
      cgroup.destroy();
      throw e;
    }
  }

  private Launched start(LaunchRequest req, PosixUser user, TaskCgroup cgroup) throws LaunchException {
    TaskInfo task = req.task();
    List<Path> procs = cgroup.procsFiles();
    String frameworkId = task.getFrameworkId().isEmpty()
        ? req.framework().getFrameworkId() : task.getFrameworkId();
    ProcessBuilder pb = new ProcessBuilder(TaskCommand.monitorArgv(tools, monitorScript, req.metaDir(),
        req.sandbox(), user, task.getCommand()));
    pb.directory(req.sandbox().toFile());
    pb.environment().clear();
    pb.environment().putAll(TaskCommand.environment(agentEnv, task, frameworkId, req.agentId(), hostname,
        req.sandbox(), user, procs));
    return MonitorStart.start(pb, req.sandbox(), cgroup, NAME);
  }

  private PosixUser resolveUser(String name, Path sandbox) throws LaunchException {
    if (name.isEmpty() || !root) {
      return null; // without root there is no switching: tasks run as the agent's user
    }
    if (tools.setpriv() == null) {
      throw new LaunchException("cannot run as user '" + name + "': setpriv (util-linux) is not installed");
    }
    PosixUser user = PosixUser.lookup(name)
        .orElseThrow(() -> new LaunchException("user '" + name + "' does not exist on this agent"));
    try {
      // the task must be able to write its sandbox; stdout/stderr are opened before the switch
      Files.setAttribute(sandbox, "unix:uid", (int) user.uid());
      Files.setAttribute(sandbox, "unix:gid", (int) user.gid());
    } catch (IOException | RuntimeException e) {
      throw new LaunchException("cannot give the sandbox to user '" + name + "': " + e.getMessage(), e);
    }
    return user;
  }

  /**
   * The process of a task's COMMAND health check: {@code bash -c COMMAND} in the task's sandbox, with the
   * task's environment and user, as Mesos runs such checks. Not joined to the task's cgroups, so a check
   * never counts against the task's limits. Blocking (a user lookup); for worker threads.
   */
  @Override
  public ProcessBuilder checkProcess(TaskInfo task, String frameworkId, String agentId, Path sandbox,
      String command) {
    String userName = task.getCommand().getUser();
    PosixUser user = null;
    if (!userName.isEmpty() && root && tools.setpriv() != null) {
      user = PosixUser.lookup(userName).orElse(null);
    }
    List<String> argv = new java.util.ArrayList<>();
    if (user != null) {
      argv.addAll(List.of(tools.setpriv(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups",
          "--"));
    }
    argv.addAll(List.of(tools.bash(), "-c", command));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(sandbox.toFile());
    pb.environment().clear();
    pb.environment().putAll(TaskCommand.environment(agentEnv, task, frameworkId, agentId, hostname, sandbox, user,
        List.of()));
    return pb;
  }

  /** SIGTERM to the task's process group, if the task is still the process we started. */
  @Override
  public void terminate(String taskId, TaskPids pids) {
    if (awaitOwnGroup(pids)) {
      signalGroup(pids.taskPid(), "TERM");
    }
  }

  /** SIGKILL to the task's process group and to everything in its cgroups. */
  @Override
  public void forceKill(String taskId, TaskPids pids, TaskCgroup cgroup) {
    if (awaitOwnGroup(pids)) {
      signalGroup(pids.taskPid(), "KILL");
    }
    cgroup.killAll();
  }

  /**
   * Whether the task lives and leads its own process group. bash puts a job into its group in both parent
   * and child right after the fork, so the group exists when the pid is reported; the wait (at most a
   * second) only guards against a signal to a group that does not exist yet, which would be lost.
   */
  private static boolean awaitOwnGroup(TaskPids pids) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (true) {
      ProcStat.Stat s = ProcStat.read(pids.taskPid());
      if (s == null || s.zombie() || (pids.taskStart() != 0 && s.startTime() != pids.taskStart())) {
        return false;
      }
      if (s.processGroup() == pids.taskPid() || System.nanoTime() > deadline) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // worker thread; the group is at most a few ms away
    }
  }

  /**
   * Gathers how the task ended and cleans up: kills whatever the task left behind, reads the OOM evidence,
   * removes the cgroups. Call once the monitor is gone. Leftovers are found through the cgroups; without
   * cgroups, through the task's process group, and only when the task just ended: a group id is free for
   * reuse once its last member is gone, so after an agent restart it could name someone else's group.
   */
  @Override
  public ExitFacts collect(String taskId, Path metaDir, TaskPids pids, TaskCgroup cgroup, boolean justEnded) {
    Integer status = readExitStatus(metaDir.resolve("exit_status"));
    if (cgroup.dirs().isEmpty() && justEnded && pids != null && pids.taskPid() > 0) {
      signalGroup(pids.taskPid(), "KILL");
    }
    cgroup.killAll();
    boolean oom = cgroup.oomKilled();
    cgroup.destroy();
    return new ExitFacts(status, oom);
  }

  /** The status the monitor wrote, or null when there is none. */
  public static Integer readExitStatus(Path file) {
    try {
      return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | NumberFormatException e) {
      log.warn("unreadable exit status in {}: {}", file, e.toString());
      return null;
    }
  }

  /** {@code kill -s SIG -- -PGID}; ProcessHandle can only signal single processes, not groups. */
  private void signalGroup(long pgid, String signal) {
    try {
      Process p = new ProcessBuilder(tools.kill(), "-s", signal, "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("cannot send SIG{} to process group {}: {}", signal, pgid, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

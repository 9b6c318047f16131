package dev.corral.agent.exec;

import dev.corral.agent.containerizer.HostTools;
import dev.corral.agent.containerizer.PosixUser;
import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.TaskCommand;
import dev.corral.agent.tasks.TaskProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Enters a {@code process}-containerizer task. The chain, each step exec'ing the next:
 * <pre>
 * bash -c JOIN N PROCS...         only when the task has cgroups: writes its own pid into each of the task's
 *                                 cgroup.procs first, so the command and all it forks count against the
 *                                 task's limits and die with the task
 *  └ nsenter --target PID --mount --uts --ipc --pid --wd
 *                                 only the namespaces the task does not share with the agent; none today
 *   └ setpriv --reuid --regid --init-groups --     only with CommandInfo.user, when the agent is root
 *    └ COMMAND ARGS...
 * </pre>
 * The cgroups are joined before nsenter, whose mount namespace may not show the agent's cgroup mount. The
 * environment is the task's own ({@link TaskCommand#environment}), the working directory its sandbox.
 * Stateless and thread-safe.
 */
public final class ProcessExecLauncher implements ExecLauncher {
  /** $0 is a name; $1 the number of cgroup.procs files that follow; then the command. */
  static final String JOIN = "n=$1; shift; "
      + "while [ \"$n\" -gt 0 ]; do "
      + "echo $$ >\"$1\" || { echo \"corral: cannot join cgroup $1\" >&2; exit 126; }; shift; n=$((n-1)); "
      + "done; exec \"$@\"";
  /** The namespaces a task may have of its own, as nsenter names them and /proc/PID/ns lists them. */
  private static final Map<String, String> NAMESPACES = namespaces();

  private final HostTools tools;
  private final String nsenter;
  private final String hostname;
  private final boolean root;
  private final Map<String, String> agentEnv;
  private final Supplier<String> agentId;

  public ProcessExecLauncher(HostTools tools, String hostname, boolean root, Map<String, String> agentEnv,
      Supplier<String> agentId) {
    this.tools = tools;
    this.nsenter = find("nsenter");
    this.hostname = hostname;
    this.root = root;
    this.agentEnv = Map.copyOf(agentEnv);
    this.agentId = agentId;
  }

  @Override
  public ExecCommand prepare(TaskProcess task, List<String> command, boolean tty, String term)
      throws ExecException {
    long pid = task.pids().taskPid();
    long start = task.pids().taskStart();
    if (!ProcStat.alive(pid, start)) {
      throw new ExecException(409, "task " + task.taskId() + " is not running any more");
    }
    PosixUser user = user(task.task().getCommand().getUser());
    List<String> argv = new ArrayList<>();
    List<Path> procs = task.cgroup().procsFiles();
    if (!procs.isEmpty()) {
      argv.addAll(List.of(tools.bash(), "-c", JOIN, "corral-exec", Integer.toString(procs.size())));
      procs.forEach(p -> argv.add(p.toString()));
    }
    long target = namespaceTarget(pid, task.cgroup().pids());
    List<String> own = ownNamespaces(target);
    if (!own.isEmpty()) {
      if (nsenter == null) {
        throw new ExecException(500, "the task has its own namespaces and nsenter (util-linux) is not installed");
      }
      argv.addAll(List.of(nsenter, "--target", Long.toString(target)));
      argv.addAll(own);
      // a container's own root (an image, or the read-only host root) and working directory
      argv.addAll(own.contains("--mount") ? List.of("--root", "--wd", "--") : List.of("--wd", "--"));
    }
    if (user != null) {
      argv.addAll(List.of(tools.setpriv(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups",
          "--"));
    }
    argv.addAll(command);
    String agent = agentId.get() == null ? "" : agentId.get();
    Map<String, String> env = new LinkedHashMap<>(TaskCommand.environment(agentEnv, task.task(), task.frameworkId(),
        agent, hostname, task.sandbox(), user, List.of()));
    if (tty) {
      env.put("TERM", term == null || term.isBlank() ? "xterm" : term);
    }
    return new ExecCommand(argv, env, task.sandbox());
  }

  /** The task's user when the agent can switch to it; as for launches, without root everything runs as us. */
  private PosixUser user(String name) throws ExecException {
    if (name.isEmpty() || !root) {
      return null;
    }
    if (tools.setpriv() == null) {
      throw new ExecException(500, "cannot run as user '" + name + "': setpriv (util-linux) is not installed");
    }
    return PosixUser.lookup(name)
        .orElseThrow(() -> new ExecException(500, "user '" + name + "' does not exist on this agent"));
  }

  /** nsenter's flags for each namespace in which the task differs from the agent. */
  /**
   * The process whose namespaces the command joins: for an OCI task the monitored process is the runtime
   * ({@code runc run}), still in the host's namespaces, and the container's processes are in the task's
   * cgroup; so the first process of the cgroup that has namespaces of its own, else the task's process.
   */
  static long namespaceTarget(long taskPid, java.util.Set<Long> cgroupPids) {
    for (long p : new java.util.TreeSet<>(cgroupPids)) {
      if (!ownNamespaces(p).isEmpty()) {
        return p;
      }
    }
    return taskPid;
  }

  static List<String> ownNamespaces(long pid) {
    List<String> flags = new ArrayList<>();
    NAMESPACES.forEach((ns, flag) -> {
      try {
        Path theirs = Path.of("/proc", Long.toString(pid), "ns", ns);
        Path ours = Path.of("/proc/self/ns", ns);
        if (!Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(ours))) {
          flags.add(flag);
        }
      } catch (IOException | UnsupportedOperationException e) {
        // unreadable (not root, or the task just ended): assume shared; a gone task fails at the start
      }
    });
    return flags;
  }

  private static Map<String, String> namespaces() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mnt", "--mount");
    m.put("uts", "--uts");
    m.put("ipc", "--ipc");
    m.put("pid", "--pid");
    m.put("net", "--net");
    return m;
  }

  private static String find(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}

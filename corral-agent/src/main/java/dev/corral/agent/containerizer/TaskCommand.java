package dev.corral.agent.containerizer;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.TaskInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the argv and environment of one launch; pure, so tests check it without starting anything.
 *
 * <p>The chain the monitor's job runs (after it joined the task's cgroups, see {@link MonitorScript}),
 * each step exec'ing the next, so no extra processes stay around:
 * <pre>
 * setpriv --reuid --regid ...         only with CommandInfo.user, when we are root
 *  └ /bin/sh -c VALUE | VALUE ARGS...
 * </pre>
 * Every program exec'd costs about a millisecond of CPU here, and a thousand tasks start at once, so the
 * chain holds nothing that the monitor's own shell can do.
 *
 * <p>Environment: the agent's own environment is not inherited, so agent secrets and settings do not leak
 * into tasks. Only {@link #INHERITED} basics pass through ({@code PATH} defaults to the usual system path
 * when the agent has none; {@code HOME}, {@code USER}, {@code LOGNAME} are those of {@code CommandInfo.user}
 * when it is set). Then {@code HOST}, then the task's {@code CommandInfo.environment} (the scheduler's
 * {@code PORT0}, {@code PORTS}, {@code MARATHON_APP_ID}, ...; it may override everything so far), then the
 * identity variables the agent owns ({@code MESOS_SANDBOX}/{@code CORRAL_SANDBOX}, task, agent and
 * framework ids), which the task cannot override. A relative {@code CORRAL_CA_FILE} (the cluster CA the services
 * scheduler puts into the sandbox) is made absolute under the sandbox.
 *
 * <p>Argument semantics follow Mesos: with {@code shell} the value runs under {@code /bin/sh -c} (run
 * directly when it is only plain words, which the shell would run the same way); otherwise
 * the value is the executable and {@code arguments[1..]} its arguments. {@code arguments[0]} is meant to be
 * argv[0]; POSIX sh cannot set argv[0], so the executable's path is argv[0] instead.
 */
public final class TaskCommand {
  public static final List<String> INHERITED =
      List.of("PATH", "LANG", "LC_ALL", "TZ", "HOME", "USER", "LOGNAME", "JAVA_HOME");
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** Hands the cgroup files to the monitor's subshell, which unsets it before the command runs. */
  static final String CGROUP_PROCS_VAR = "CORRAL_CGROUP_PROCS";
  /** The cluster CA's file for {@code https} {@code CORRAL_URL}s; given relative to the sandbox, made absolute. */
  static final String CA_FILE_VAR = "CORRAL_CA_FILE";

  private TaskCommand() {}

  /** The monitor's argv: {@code bash monitor.sh META SANDBOX CHAIN...}. */
  public static List<String> monitorArgv(HostTools tools, Path monitorScript, Path metaDir, Path sandbox,
      PosixUser user, CommandInfo command) {
    List<String> argv = new ArrayList<>(List.of(tools.bash(), monitorScript.toString(), metaDir.toString(),
        sandbox.toString()));
    if (user != null) {
      argv.addAll(List.of(tools.setpriv(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups",
          "--"));
    }
    argv.addAll(command(command));
    return argv;
  }

  /**
   * A shell command made only of plain words: nothing the shell would expand, quote, redirect, chain or
   * assign. sh -c of such a command only splits it on blanks and runs it, and dash forks to do so, leaving an
   * idle sh behind every task; running the words directly does the same with one process fewer.
   */
  private static final java.util.regex.Pattern PLAIN_WORDS =
      java.util.regex.Pattern.compile("[A-Za-z0-9_./:,+@%-]+( +[A-Za-z0-9_./:,+@%=-]+)*");
  /** Words only a shell understands (builtins without a program of their name, and keywords). */
  private static final java.util.Set<String> SHELL_ONLY = java.util.Set.of(".", ":", "break", "continue", "eval",
      "exec", "exit", "export", "readonly", "return", "set", "shift", "times", "trap", "unset", "cd", "read", "wait",
      "umask", "ulimit", "alias", "unalias", "command", "getopts", "hash", "jobs", "fg", "bg", "type", "local",
      "source", "if", "then", "else", "elif", "fi", "while", "until", "for", "do", "done", "case", "esac", "in");

  /** The command itself, Mesos semantics. */
  public static List<String> command(CommandInfo command) {
    if (command.getShell()) {
      String value = command.getValue().strip();
      if (PLAIN_WORDS.matcher(value).matches()) {
        List<String> words = List.of(value.split(" +"));
        if (!SHELL_ONLY.contains(words.get(0))) {
          return words;
        }
      }
      return List.of("/bin/sh", "-c", command.getValue());
    }
    List<String> out = new ArrayList<>();
    out.add(command.getValue());
    List<String> args = command.getArgumentsList();
    if (args.size() > 1) {
      out.addAll(args.subList(1, args.size()));
    }
    return out;
  }

  /** The task's environment (see the class comment for the layering). */
  public static Map<String, String> environment(Map<String, String> agentEnv, TaskInfo task, String frameworkId,
      String agentId, String hostname, Path sandbox, PosixUser user, List<Path> cgroupProcs) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : INHERITED) {
      String value = agentEnv.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    if (user != null) {
      env.put("HOME", user.home());
      env.put("USER", user.name());
      env.put("LOGNAME", user.name());
    }
    env.put("HOST", hostname);
    env.putAll(task.getCommand().getEnvironmentMap());
    String ca = env.get(CA_FILE_VAR);
    if (ca != null && !ca.isEmpty() && !ca.startsWith("/")) {
      // the scheduler names the cluster CA's file inside the sandbox, whose path only the agent knows
      env.put(CA_FILE_VAR, sandbox.resolve(ca).toString());
    }
    String sandboxPath = sandbox.toString();
    env.put("MESOS_SANDBOX", sandboxPath);
    env.put("CORRAL_SANDBOX", sandboxPath);
    env.put("MESOS_TASK_ID", task.getTaskId());
    env.put("CORRAL_TASK_ID", task.getTaskId());
    env.put("MESOS_AGENT_ID", agentId);
    env.put("CORRAL_AGENT_ID", agentId);
    env.put("MESOS_FRAMEWORK_ID", frameworkId);
    env.put("CORRAL_FRAMEWORK_ID", frameworkId);
    if (!cgroupProcs.isEmpty()) {
      List<String> files = new ArrayList<>();
      cgroupProcs.forEach(p -> files.add(p.toString()));
      env.put(CGROUP_PROCS_VAR, String.join(" ", files));
    }
    return env;
  }
}

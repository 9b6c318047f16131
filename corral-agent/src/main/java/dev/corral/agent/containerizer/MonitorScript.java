package dev.corral.agent.containerizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The task monitor: a few lines of POSIX sh that sit between the agent and each process task, in the role
 * conmon plays for Podman containers.
 *
 * <p>Why it exists: a task must outlive the agent (restarts and upgrades never kill tasks), yet the agent
 * must learn how every task ended, including tasks that ended while it was down. Only a process's parent
 * can collect its exit status, and when the agent dies its children are re-parented to init, which reaps
 * them and throws the status away. So the parent of each task is not the agent but this monitor, which
 * does nothing but wait and write the status to a file that survives any agent restart.
 *
 * <p>How it runs:
 * <ul>
 *   <li>It is a bash script with job control on ({@code set -m}, which works without a terminal): the task
 *       starts as a background job, and job control makes that job the leader of its own process group,
 *       with SIGINT and SIGQUIT at their defaults (a shell without job control would ignore them in
 *       background jobs). Kills go to the task's group; the monitor, in another group, survives them. No
 *       setsid or env program is exec'd for this: at a thousand launches each exec saved is a second of
 *       CPU on two cores.
 *   <li>The agent starts it directly. It traps HUP, INT and TERM to a no-op, so a terminal's Ctrl-C or
 *       hangup aimed at the agent's process group, or the agent's own exit, never ends it. Caught, not
 *       ignored: an ignored disposition would be inherited by the task, a caught one resets on exec.
 *   <li>The job is the task process from its first instruction: it reads its own pid from
 *       {@code /proc/self/stat} (a builtin {@code read}, so no new process), writes it into each of the
 *       task's {@code cgroup.procs} (listed in {@code CORRAL_CGROUP_PROCS}), and only then execs the
 *       command. So the task is inside its cgroups before any user code runs, while the monitor stays
 *       outside them: the OOM killer of the task's memory cgroup can never pick it and hide the task's
 *       status. The task opens its own {@code stdout}/{@code stderr} files in the sandbox, so no pipe held
 *       by the agent can break it.
 *   <li>It prints {@code MONITOR_PID TASK_PID} on stdout, the one pipe to the agent, and then points its
 *       stdout to /dev/null, so a dead agent (a broken pipe) cannot hurt it. Its stderr is the task's
 *       {@code stderr} file, where a user looks first when a task does not start.
 *   <li>It waits for the task. Caught signals make {@code wait} return early, so it loops while the task
 *       is alive.
 *   <li>It sets its own PATH after starting the task, so that a task's odd PATH cannot hide {@code mv}.
 *   <li>It writes the shell's {@code $?} (128+N for signal N) to {@code exit_status.tmp} and renames it to
 *       {@code exit_status}: readers see a complete number or nothing.
 * </ul>
 * Usage: {@code bash monitor.sh META_DIR SANDBOX COMMAND [ARG...]}. Installed once per work dir; the
 * text is constant, so rewriting it on every start is harmless and keeps it in step with the agent.
 */
public final class MonitorScript {
  static final String TEXT = String.join("\n",
      "#!/bin/bash",
      "# Corral task monitor; see dev.corral.agent.containerizer.MonitorScript for the design.",
      "# Usage: bash monitor.sh META_DIR SANDBOX COMMAND [ARG...]",
      "meta=$1; sandbox=$2; shift 2",
      "set -m",
      "trap ':' HUP INT TERM",
      "(",
      "  if [ -n \"$CORRAL_CGROUP_PROCS\" ]; then",
      "    read -r self rest </proc/self/stat",
      "    for f in $CORRAL_CGROUP_PROCS; do",
      "      echo \"$self\" >\"$f\" || { echo \"corral: cannot join cgroup $f\" >&2; exit 125; }",
      "    done",
      "  fi",
      "  unset CORRAL_CGROUP_PROCS",
      "  exec \"$@\"",
      ") </dev/null >>\"$sandbox/stdout\" 2>>\"$sandbox/stderr\" &",
      "task=$!",
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "echo \"$$ $task\"",
      "exec >/dev/null",
      "status=",
      "while :; do",
      "  wait \"$task\"; status=$?",
      "  kill -0 \"$task\" 2>/dev/null || break",
      "done",
      "printf '%s\\n' \"$status\" >\"$meta/exit_status.tmp\" && mv -f \"$meta/exit_status.tmp\" \"$meta/exit_status\"",
      "");

  private MonitorScript() {}

  /** Writes the script to {@code binDir/monitor.sh} and returns its path. */
  public static Path install(Path binDir) throws IOException {
    Files.createDirectories(binDir);
    Path script = binDir.resolve("monitor.sh");
    if (!Files.exists(script) || !Files.readString(script, StandardCharsets.UTF_8).equals(TEXT)) {
      // rename over the old one, so a monitor starting right now never reads half a script
      Path tmp = binDir.resolve("monitor.sh.tmp");
      Files.writeString(tmp, TEXT, StandardCharsets.UTF_8);
      Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return script;
  }
}

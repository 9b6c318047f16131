package dev.corral.agent.oci;

import java.util.ArrayList;
import java.util.List;

/**
 * The container's pid 1: a few lines of POSIX sh that run the task's command as its only child, pass
 * TERM, INT and HUP on to it, reap orphans, and exit with the command's status.
 *
 * <p>Why: the kernel drops every signal to a namespace's init that the init has no handler for, so a task
 * that is itself pid 1 ({@code sleep}, {@code sh -c}, most servers) would ignore {@code runc kill TERM} and
 * every kill would wait out the whole grace period before SIGKILL. It also keeps orphaned grandchildren
 * from piling up as zombies. The same job as Docker's {@code --init}; sh, not bash, so that images without
 * bash work too.
 */
public final class ContainerInit {
  static final String SCRIPT = String.join("\n",
      "for s in TERM INT HUP; do trap \"kill -$s \\$child 2>/dev/null\" $s; done",
      "\"$@\" &",
      "child=$!",
      "while :; do",
      "  wait \"$child\"; status=$?",
      "  kill -0 \"$child\" 2>/dev/null || exit \"$status\"",
      "done");

  private ContainerInit() {}

  /** {@code /bin/sh -c SCRIPT corral-init COMMAND...}. */
  public static List<String> wrap(List<String> command) {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "corral-init"));
    argv.addAll(command);
    return argv;
  }
}

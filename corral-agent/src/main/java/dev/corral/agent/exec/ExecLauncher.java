package dev.corral.agent.exec;

import dev.corral.agent.tasks.TaskProcess;
import java.util.List;

/**
 * How a command gets into a task of one kind of container: the seam between exec sessions and
 * containerizers. {@link ProcessExecLauncher} enters a process-containerizer task with {@code nsenter} and
 * its cgroups; an OCI task would answer {@code runc exec} (with {@code -t} for a terminal: runc then hands
 * back the console, so such a launcher also has to own the PTY).
 *
 * <p>Implementations are stateless and thread-safe; {@link #prepare} may block briefly (user lookups,
 * {@code /proc} reads) and runs on Jetty's threads, never on the agent's loop.
 */
public interface ExecLauncher {
  /**
   * The process that runs {@code command} inside {@code task}.
   *
   * @param task a running task ({@link TaskProcess#running()})
   * @param tty whether the command gets a terminal (then {@code TERM} is set from {@code term})
   * @throws ExecException when the task cannot be entered (409 when it has just ended)
   */
  ExecCommand prepare(TaskProcess task, List<String> command, boolean tty, String term) throws ExecException;
}

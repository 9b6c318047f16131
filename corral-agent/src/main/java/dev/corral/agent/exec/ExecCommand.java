package dev.corral.agent.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A process to start for one exec: the full argv (the wrappers that enter the task included), its complete
 * environment and its working directory. Immutable.
 */
public record ExecCommand(List<String> argv, Map<String, String> env, Path dir) {
  public ExecCommand {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }
}

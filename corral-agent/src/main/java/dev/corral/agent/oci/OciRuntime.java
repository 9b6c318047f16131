package dev.corral.agent.oci;

import dev.corral.agent.net.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI runtime's command line ({@code runc}, or {@code crun}), with the agent's own state directory
 * ({@code --root}), so the agent only ever sees and touches the containers it created. Immutable.
 *
 * @param name {@code runc} or {@code crun}
 * @param binary its absolute path
 * @param stateRoot the runtime's state directory for this agent's containers
 */
public record OciRuntime(String name, String binary, Path stateRoot) {
  public static final String RUNC = "runc";
  public static final String CRUN = "crun";
  private static final List<String> DIRS = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin");

  /** The runtime named {@code name} when it is installed, else null. */
  public static OciRuntime find(String name, Path stateRoot) {
    if (!name.equals(RUNC) && !name.equals(CRUN)) {
      throw new IllegalArgumentException("unknown OCI runtime '" + name + "' (known: runc, crun)");
    }
    for (String dir : DIRS) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return new OciRuntime(name, p.toString(), stateRoot);
      }
    }
    return null;
  }

  /** Whether the runtime keeps a stopped container (and so its cgroup, with the OOM counter) until delete. */
  public boolean keepsStopped() {
    return name.equals(RUNC);
  }

  /**
   * {@code run} in the foreground: the runtime stays the parent of the container's init and exits with
   * its status (128+N for signal N), which is what the task monitor records.
   */
  public List<String> runArgv(Path bundle, String id) {
    List<String> argv = new ArrayList<>(List.of(binary, "--root", stateRoot.toString(), "run"));
    if (keepsStopped()) {
      argv.add("--keep"); // the agent reads the OOM counter before it deletes the container
    }
    argv.addAll(List.of("--bundle", bundle.toString(), id));
    return argv;
  }

  /** Whether the runtime has created the container (its state file exists). */
  public boolean exists(String id) {
    return Files.exists(stateRoot.resolve(id).resolve(name.equals(RUNC) ? "state.json" : "status"));
  }

  /** {@code kill [--all] ID SIGNAL}; returns whether the runtime accepted it. */
  public boolean kill(String id, String signal, boolean all) {
    List<String> argv = new ArrayList<>(List.of(binary, "--root", stateRoot.toString(), "kill"));
    if (all) {
      argv.add("--all");
    }
    argv.addAll(List.of(id, signal));
    return exec(argv).exitCode() == 0;
  }

  /** {@code delete --force ID}: kills what is left and removes the container's state and cgroups. */
  public Result delete(String id) {
    return exec(List.of(binary, "--root", stateRoot.toString(), "delete", "--force", id));
  }

  /** An exit code and the runtime's combined output. */
  public record Result(int exitCode, String output) {}

  private static Result exec(List<String> argv) {
    HostCommand.Result r = HostCommand.run(argv, null);
    return new Result(r.exitCode(), r.output());
  }
}

package dev.corral.dist;

import dev.corral.common.Version;
import dev.corral.dist.node.AgentNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `corral agent`: runs tasks on this machine for a master. Stopping the agent leaves its tasks running (an
 * agent restart or upgrade re-attaches to them) unless --kill-tasks-on-exit.
 */
@Command(name = "agent",
    description = "Run an agent that offers this machine's resources to a master and runs its tasks.")
public final class AgentCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--master", required = true, description = "The master's gRPC address, host:port, or zk://host:port[,host:port…]/corral to follow"
      + " the leading master of several through ZooKeeper.")
  String master;

  @Option(names = "--work-dir", defaultValue = "${sys:user.home}/.corral/agent",
      description = "Sandboxes and checkpoints (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Mixin
  AgentOptions agentOptions;

  @Option(names = "--http-port", defaultValue = "5051",
      description = "Port of the agent's files and logs API (default: ${DEFAULT-VALUE}, as Mesos; 0: any free port).")
  int httpPort;

  @Option(names = "--http-bind", defaultValue = "0.0.0.0",
      description = "Address the files and logs API listens on (default: ${DEFAULT-VALUE}).")
  String httpBind;

  @Option(names = "--kill-tasks-on-exit", description = "Kill all tasks when the agent stops.")
  boolean killTasksOnExit;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir.toAbsolutePath();
    WorkDirLock lock = WorkDirLock.acquire(dir, "agent");
    AgentNode agent = new AgentNode(agentOptions.toConfig(dir), agentOptions.filesConfig(httpBind, httpPort),
        AgentNode.networkChannel(master)).start();
    out.printf("Corral agent %s: master %s, work dir %s, isolation: %s, containerizers: %s, files and logs API on"
        + " port %d%n", Version.get(), master, dir, agent.agent().describeIsolation(),
        String.join(",", agent.agent().containerizers()), agent.agent().httpPort());
    out.flush();
    return ServerRun.untilShutdown(() -> {
      agent.stop(killTasksOnExit);
      lock.close();
    });
  }
}

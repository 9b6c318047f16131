package dev.corral.dist;

import dev.corral.agent.files.FilesConfig;
import dev.corral.api.ClusterSecret;
import dev.corral.cli.config.CliConfig;
import dev.corral.common.Version;
import dev.corral.dist.node.AgentNode;
import java.io.PrintWriter;
import java.net.URI;
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

  @Option(names = "--discovery", paramLabel = "URL", description = "The master's HTTP API, whose VIP table the node's"
      + " VIP proxy follows (default: http://MASTER-HOST:7070).")
  String discovery;

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

  /** The --discovery URL, or the master's host on the default HTTP port. */
  private URI discoveryUri() {
    String url = discovery;
    if (url == null) {
      // zk://h1:2181,h2:2181/corral: masters run beside the ensemble's members, and any master forwards to the leader
      String first = master.startsWith("zk://") ? master.substring(5).split("[,/]")[0] : master;
      int colon = first.lastIndexOf(':');
      url = "http://" + (colon > 0 ? first.substring(0, colon) : first) + ":7070";
    }
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("--discovery: must be an http(s) URL such as http://master:7070, got '"
            + url + "'");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--discovery: not a URL: " + url, e);
    }
  }

  @Option(names = "--secret-file", defaultValue = "${env:CORRAL_SECRET_FILE}",
      description = {"The cluster secret (the master writes it to <its work dir>/cluster-secret): the agent presents"
          + " it to the master and requires it on its own HTTP API.",
          "Default: $CORRAL_SECRET_FILE, else the secret a master started by this user kept for this --master"
              + " address in ~/.corral; none on a cluster without authentication."})
  Path secretFile;

  private ClusterSecret secret() throws java.io.IOException {
    if (secretFile != null && !secretFile.toString().isBlank()) {
      return ClusterSecret.readFile(secretFile);
    }
    return CliConfig.fromEnvironment(System::getenv).secretForMaster(master).map(ClusterSecret::of).orElse(null);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir.toAbsolutePath();
    WorkDirLock lock = WorkDirLock.acquire(dir, "agent");
    ClusterSecret secret = secret();
    FilesConfig files = agentOptions.filesConfig(httpBind, httpPort);
    if (secret != null) {
      files = files.withSecret(secret.value());
    }
    AgentNode agent = new AgentNode(agentOptions.toConfig(dir), files, AgentNode.networkChannel(master, secret));
    URI discoveryUri = discoveryUri();
    if (!agentOptions.noVipProxy) {
      agent.withVipProxy(agentOptions.vipListenAddresses(), discoveryUri);
    }
    agent.start();
    out.printf("Corral agent %s: master %s, work dir %s, isolation: %s, containerizers: %s, files and logs API on"
        + " port %d, VIP proxy: %s%n", Version.get(), master, dir, agent.agent().describeIsolation(),
        String.join(",", agent.agent().containerizers()), agent.agent().httpPort(),
        agentOptions.noVipProxy ? "off" : "following " + discoveryUri);
    if (secret == null) {
      out.println("  no cluster secret (--secret-file): the files, logs and exec API is open to anyone who reaches it");
    }
    out.flush();
    return ServerRun.untilShutdown(() -> {
      agent.stop(killTasksOnExit);
      lock.close();
    });
  }
}

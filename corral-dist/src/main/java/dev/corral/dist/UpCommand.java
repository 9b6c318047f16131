package dev.corral.dist;

import dev.corral.agent.AgentConfig;
import dev.corral.agent.files.FilesConfig;
import dev.corral.common.Version;
import dev.corral.dist.node.AgentNode;
import dev.corral.dist.node.MasterNode;
import dev.corral.services.placement.GpuSchedulingBehavior;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `corral up`: a whole cluster in this JVM — embedded ZooKeeper, master, service scheduler and one agent. */
@Command(name = "up",
    description = "Start a single-node cluster: embedded ZooKeeper, master, service scheduler and one agent.")
public final class UpCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--work-dir", description = "Where state, sandboxes and ZooKeeper data live (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.corral/up")
  Path workDir;

  @Option(names = "--http-port", defaultValue = "7070", description = "HTTP API port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "5050", description = "Port other agents connect to (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address the APIs listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 to let other machines join).")
  String bind;

  @Option(names = "--agent-http-port", defaultValue = "-1",
      description = "Port of the agent's files and logs API (default: 5051 when free, else any free port).")
  int agentHttpPort;

  @Mixin
  AgentOptions agentOptions;

  @Mixin
  DnsOptions dnsOptions;

  @Mixin
  TlsOptions tlsOptions;

  @Option(names = "--gpu-scheduling-behavior", defaultValue = "restricted", paramLabel = "restricted|unrestricted",
      description = "Whether apps that ask for no GPUs may use agents with GPUs (default: ${DEFAULT-VALUE}; an app's"
          + " label GPU_SCHEDULING_BEHAVIOR overrides it).")
  String gpuScheduling;

  @Option(names = "--no-auth", description = "Turn authentication off (local development only: anyone who reaches"
      + " the API may do anything).")
  boolean noAuth;

  @Option(names = "--keep-tasks", description = "Leave tasks running when stopping (they are re-attached on the next start).")
  boolean keepTasks;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String host = agentOptions.hostname();
    Path dir = workDir.toAbsolutePath();
    WorkDirLock lock = WorkDirLock.acquire(dir, "up");
    MasterNode master = new MasterNode(new MasterNode.Options(dir.resolve("master"), null, bind, httpPort, grpcPort, host,
        GpuSchedulingBehavior.parse(gpuScheduling), !noAuth)).withDns(dnsOptions.toConfig(bind)).withTls(tlsOptions.toSettings());
    AgentNode agent;
    try {
      master.start();
      int filesPort = agentHttpPort >= 0 ? agentHttpPort : FreePort.preferred(bind, 5051);
      // OCI tasks resolve through our DNS when it is on the one port a resolv.conf can name
      AgentConfig agentConfig = agentOptions.toUpConfig(dir.resolve("agent"));
      if (agentConfig.dns() == null && master.dnsPort() == DnsOptions.STANDARD_PORT) {
        agentConfig = agentConfig.withDns(bind.equals("0.0.0.0") ? "127.0.0.1" : bind);
      }
      FilesConfig files = agentOptions.filesConfig(bind, filesPort);
      if (master.clusterSecret() != null) {
        files = files.withSecret(master.clusterSecret().value());
      }
      agent = new AgentNode(agentConfig, files, master.inProcessChannel());
      if (!agentOptions.noVipProxy) {
        // the master's table reaches this node's proxy in process
        master.onVipRoutes(agent.withVipProxy(agentOptions.vipListenAddresses(), null).vipProxy()::update);
      }
      agent.start();
    } catch (Exception e) {
      master.close();
      lock.close();
      throw e;
    }
    String api = (master.tls() ? "https://" : "http://") + (bind.equals("0.0.0.0") ? host : bind) + ":"
        + master.httpPort();
    // the CLI context is in place before "is up" is printed: scripts may use the CLI on that line
    String agents = (bind.equals("0.0.0.0") ? host : bind) + ":" + master.grpcPort();
    List<String> lines = LoginContext.write(master, api, master.caPem(), agents);
    out.printf("Corral %s is up.%n", Version.get());
    out.printf("  API:        %s   (web UI: %s/ui/)%n", api, api);
    out.printf("  Agents:     corral agent --master %s%s%n", agents, master.secretFile() == null ? ""
        : " --secret-file " + master.secretFile());
    out.printf("  DNS:        %s:%d, names under %s (dig @%s -p %d leader.%s)%n", bind, master.dnsPort(),
        dnsOptions.domain, bind.equals("0.0.0.0") ? "127.0.0.1" : bind, master.dnsPort(), dnsOptions.domain);
    out.printf("  ZooKeeper:  embedded at %s, data in %s%n", master.zkConnectString(), dir.resolve("master/zookeeper"));
    out.printf("  Work dir:   %s%n", dir);
    out.printf("  Isolation:  %s%n", agent.agent().describeIsolation());
    out.printf("  Containers: %s%n", String.join(",", agent.agent().containerizers()));
    lines.forEach(out::println);
    out.printf("Try:  ./corral app add app.json   ./corral app list   ./corral task list%n");
    out.printf("Ctrl-C stops the cluster and %s.%n", keepTasks ? "leaves tasks running (--keep-tasks)" : "kills its tasks");
    out.flush();
    return ServerRun.untilShutdown(() -> {
      out.println("Stopping Corral" + (keepTasks ? " (tasks keep running)…" : " and its tasks…"));
      out.flush();
      master.stopServices();
      agent.stop(!keepTasks);
      master.close();
      lock.close();
      out.println("Stopped.");
      out.flush();
    });
  }
}

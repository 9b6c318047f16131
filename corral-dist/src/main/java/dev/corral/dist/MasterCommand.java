package dev.corral.dist;

import dev.corral.common.Version;
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

/** `corral master`: a master with the built-in service scheduler and the HTTP API, agents join over gRPC. */
@Command(name = "master",
    description = "Run a master (with the service scheduler and the HTTP API); agents connect to its gRPC port.")
public final class MasterCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--work-dir", defaultValue = "${sys:user.home}/.corral/master",
      description = "Where state lives (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--zk", description = "ZooKeeper ensemble host:port[,host:port…] (default: embedded, data in the work dir).")
  String zk;

  @Option(names = "--http-port", defaultValue = "7070", description = "HTTP API port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "5050", description = "Port agents connect to (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--gpu-scheduling-behavior", defaultValue = "restricted", paramLabel = "restricted|unrestricted",
      description = "Whether apps that ask for no GPUs may use agents with GPUs (default: ${DEFAULT-VALUE}; an app's"
          + " label GPU_SCHEDULING_BEHAVIOR overrides it).")
  String gpuScheduling;

  @Option(names = "--hostname", description = "Name this master advertises (default: this machine's name).")
  String hostname;

  @Mixin
  DnsOptions dnsOptions;

  @Mixin
  AgentLossOptions agentLoss;

  @Mixin
  TlsOptions tlsOptions;

  @Option(names = "--no-auth", description = "Turn authentication off (local development only: anyone who reaches"
      + " the API may do anything).")
  boolean noAuth;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String host = hostname != null ? hostname : Hostnames.local();
    Path dir = workDir.toAbsolutePath();
    WorkDirLock lock = WorkDirLock.acquire(dir, "master");
    MasterNode master = new MasterNode(new MasterNode.Options(dir, zk, bind, httpPort, grpcPort, host,
        GpuSchedulingBehavior.parse(gpuScheduling), !noAuth)).withDns(dnsOptions.toConfig(bind))
        .withTls(tlsOptions.toSettings()).withMasterConfig(agentLoss::apply);
    try {
      master.start();
    } catch (Exception e) {
      master.close();
      lock.close();
      throw e;
    }
    String advertised = "0.0.0.0".equals(bind) || "::".equals(bind) ? host : bind;
    List<String> lines = LoginContext.write(master, (master.tls() ? "https://" : "http://") + advertised + ":"
        + master.httpPort(), master.caPem(), advertised + ":" + master.grpcPort());
    if (master.secretFile() != null) {
      lines.add("  Agents present the cluster secret: corral agent --master " + advertised + ":" + master.grpcPort()
          + " --secret-file " + master.secretFile());
    }
    out.printf("Corral master %s: API " + (master.tls() ? "https" : "http") + "://%s:%d, agents connect to %s:%d, ZooKeeper %s%s, DNS port %d%n",
        Version.get(), host, master.httpPort(), host, master.grpcPort(), master.zkConnectString(),
        master.embeddedZooKeeper() ? " (embedded)" : "", master.dnsPort());
    lines.forEach(out::println);
    out.flush();
    return ServerRun.untilShutdown(() -> {
      master.close();
      lock.close();
    });
  }
}

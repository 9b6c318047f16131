package dev.corral.dist;

import dev.corral.common.Version;
import dev.corral.dist.node.MasterNode;
import dev.corral.services.placement.GpuSchedulingBehavior;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import dev.corral.state.ZkPeer;
import picocli.CommandLine.ParameterException;
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

  @Option(names = "--zk", paramLabel = "host:port[,host:port…][/root]",
      description = "An external ZooKeeper ensemble shared by the masters, which elect a leader (default: a private"
          + " embedded ZooKeeper, data in the work dir).")
  String zk;

  @Option(names = "--zk-embedded-peers", paramLabel = "id=host:clientPort:quorumPort:electionPort[,…]",
      description = "Run one member of a ZooKeeper ensemble inside each master (give every master the same list"
          + " and its own --zk-peer-id); the masters elect a leader.")
  String zkPeers;

  @Option(names = "--zk-peer-id", defaultValue = "0", description = "This master's id in --zk-embedded-peers.")
  int zkPeerId;

  @Option(names = "--zk-session-timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "How long after a master goes silent ZooKeeper lets another take over (default: ${DEFAULT-VALUE}).")
  int zkSessionTimeout;

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
    List<ZkPeer> peers = List.of();
    if (zkPeers != null) {
      if (zk != null) {
        throw new ParameterException(spec.commandLine(), "give either --zk or --zk-embedded-peers, not both");
      }
      try {
        peers = ZkPeer.parseAll(zkPeers);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--zk-embedded-peers: " + e.getMessage());
      }
      final int self = zkPeerId;
      if (peers.stream().noneMatch(p -> p.id() == self)) {
        throw new ParameterException(spec.commandLine(), "--zk-peer-id: " + zkPeerId + " is not an id in"
            + " --zk-embedded-peers (" + zkPeers + ")");
      }
    }
    if (zkSessionTimeout < 2 || zkSessionTimeout > 600) {
      throw new ParameterException(spec.commandLine(), "--zk-session-timeout: must be 2..600 seconds, got "
          + zkSessionTimeout);
    }
    MasterNode master = new MasterNode(new MasterNode.Options(dir, zk, bind, httpPort, grpcPort, host,
        GpuSchedulingBehavior.parse(gpuScheduling), !noAuth, peers, zkPeerId, Duration.ofSeconds(zkSessionTimeout)))
        .withDns(dnsOptions.toConfig(bind)).withTls(tlsOptions.toSettings()).withMasterConfig(agentLoss::apply);
    try {
      master.start();
    } catch (Exception e) {
      master.close();
      lock.close();
      throw e;
    }
    String advertised = "0.0.0.0".equals(bind) || "::".equals(bind) ? host : bind;
    String scheme = master.tls() ? "https" : "http";
    if (master.elected()) {
      out.printf("Corral master %s: API %s://%s:%d (forwarded to the leader while standing by), gRPC %s:%d"
          + " while leading; agents connect to %s; ZooKeeper %s%s; DNS port %d%n", Version.get(), scheme, host,
          master.httpPort(), host, master.grpcPort(), master.zkTarget(), master.zkConnectString(),
          master.embeddedZooKeeper() ? " (embedded peer " + zkPeerId + ")" : "", master.dnsPort());
    } else {
      out.printf("Corral master %s: API %s://%s:%d, agents connect to %s:%d, ZooKeeper %s%s, DNS port %d%n",
          Version.get(), scheme, host, master.httpPort(), host, master.grpcPort(), master.zkConnectString(),
          master.embeddedZooKeeper() ? " (embedded)" : "", master.dnsPort());
    }
    if (master.clusterSecret() != null || !master.elected()) {
      // a master that leads now (always, without an election) writes the CLI context and says how to log in
      List<String> lines = LoginContext.write(master, scheme + "://" + advertised + ":" + master.httpPort(),
          master.caPem(), advertised + ":" + master.grpcPort());
      if (master.secretFile() != null) {
        lines.add("  Agents present the cluster secret: corral agent --master " + advertised + ":"
            + master.grpcPort() + " --secret-file " + master.secretFile());
      }
      lines.forEach(out::println);
    } else if (master.authentication()) {
      out.println("  Standing by: the leader's cluster secret and admin account are in ZooKeeper; log in with"
          + " corral auth login against this or any master. On a new cluster the master that leads first"
          + " creates the admin account and writes its password to " + MasterNode.ADMIN_PASSWORD_FILE
          + " in its work dir.");
    }
    out.flush();
    return ServerRun.untilShutdown(() -> {
      master.close();
      lock.close();
    });
  }
}

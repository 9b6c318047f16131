package dev.corral.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** `corral up` on loopback with the given resources and a range of ports, and the CLI pointed at it. */
final class SingleNode implements AutoCloseable {
  final CorralProcess process;
  final Marathon api;
  final String url;
  final int httpPort;
  private final Path dir;

  private SingleNode(Path dir, CorralProcess process, int httpPort) {
    this.dir = dir;
    this.process = process;
    this.api = new Marathon(httpPort);
    this.url = "http://127.0.0.1:" + httpPort;
    this.httpPort = httpPort;
  }

  /** The first administrator's password, as `corral up` kept it for its user. */
  String adminPassword() throws java.io.IOException {
    return CorralProcess.adminPassword(httpPort);
  }

  /**
   * @param resources without ports, e.g. "cpus:2;mem:1024;disk:100"
   * @param extraArgs more `corral up` flags, e.g. --containerizers oci
   */
  static SingleNode start(Path dir, String resources, int portCount, String... extraArgs) throws Exception {
    int http = Ports.free();
    int ports = Ports.freeRange(portCount);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("up", "--work-dir",
        dir.resolve("work").toString(), "--http-port", Integer.toString(http), "--grpc-port",
        Integer.toString(Ports.free()), "--hostname", "127.0.0.1",
        "--resources", resources + ";ports:[" + ports + "-" + (ports + portCount - 1) + "]"));
    args.addAll(Arrays.asList(extraArgs));
    CorralProcess up = CorralProcess.start(dir.resolve("up.log"), args.toArray(String[]::new));
    SingleNode node = new SingleNode(dir, up, http);
    up.awaitLog("is up", Duration.ofSeconds(60));
    return node;
  }

  /** Runs `corral ARGS… --url URL` and waits up to {@code timeout} for it. */
  CorralProcess.Result cli(Duration timeout, String... args) throws Exception {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    return CorralProcess.run(dir, timeout, all);
  }

  @Override
  public void close() throws Exception {
    process.stop();
    TaskProcesses.killAllUnder(dir);
  }
}

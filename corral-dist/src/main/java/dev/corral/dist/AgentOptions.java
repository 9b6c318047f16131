package dev.corral.dist;

import dev.corral.agent.AgentConfig;
import dev.corral.agent.fetch.FetcherConfig;
import dev.corral.agent.image.ImagesConfig;
import dev.corral.agent.oci.ContainerizerSetup;
import dev.corral.common.Sizes;
import dev.corral.vip.ListenAddresses;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.function.UnaryOperator;
import dev.corral.agent.files.FilesConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The agent's flags, shared by `corral agent` and `corral up` (whose agent takes the same ones). */
public final class AgentOptions {
  @Option(names = "--resources", description = "Agent resources, e.g. 'cpus:4;mem:8192;disk:10000;ports:[20000-21000]'"
      + " (default: detected).")
  String resources;

  @Option(names = "--attributes", description = "Agent attributes, e.g. 'rack:r1;zone:a'.")
  String attributes;

  @Option(names = "--hostname", description = "Hostname to advertise (default: this machine's name).")
  String hostname;

  @Option(names = "--dns", paramLabel = "IP", description = "DNS server OCI tasks get in their resolv.conf, e.g. the"
      + " master's (port 53; default: the host's resolv.conf). Process tasks always use the host's.")
  String dns;

  @Option(names = "--no-vip-proxy", description = "Do not run the VIP proxy on this node (tasks here then cannot"
      + " reach <name>.marathon.l4lb addresses).")
  boolean noVipProxy;

  @Option(names = "--vip-network", paramLabel = "CIDR", description = "Serve the VIP 127.77.c.d on 127.B.c.d instead,"
      + " for several agents sharing one machine's loopback (tests), e.g. 127.78.0.0/16 (default: the VIP addresses"
      + " themselves).")
  String vipNetwork;

  /** Where the proxy listens for a VIP address. */
  UnaryOperator<InetAddress> vipListenAddresses() {
    return vipNetwork == null ? ListenAddresses.same() : ListenAddresses.parse(vipNetwork);
  }

  @Option(names = "--no-cgroups", description = "Run tasks without cgroup isolation even as root.")
  boolean noCgroups;

  @Option(names = "--containerizers", paramLabel = "LIST", defaultValue = "${env:CORRAL_CONTAINERIZERS}",
      description = "Containerizers in order of preference, e.g. 'oci,process'; a task goes to the first that can "
      + "run it (default: oci,process where runc or crun is installed and the agent runs as root with cgroups, "
      + "else process; the CORRAL_CONTAINERIZERS environment variable sets the default).")
  String containerizers;

  @Option(names = "--oci-runtime", paramLabel = "NAME", defaultValue = "runc",
      description = "The OCI runtime of the oci containerizer: runc or crun (default: ${DEFAULT-VALUE}).")
  String ociRuntime;

  @Option(names = "--allow-privileged", description = "Let tasks run in privileged containers (Marathon's"
      + " docker.privileged: every capability and device, the host's /dev). Off by default.")
  boolean allowPrivileged;

  @Option(names = "--container-network", paramLabel = "CIDR", defaultValue = "172.31.0.0/16",
      description = "Addresses of tasks with a container network (networks: [{mode: container}]): the bridge "
      + "corral0 takes the first, tasks the rest (default: ${DEFAULT-VALUE}).")
  String containerNetwork;

  @Option(names = "--maven-repository", paramLabel = "URL", description = "Remote Maven repositories for maven:// "
      + "fetches, comma-separated, searched in order; http(s) or file:// (default: " + FetcherConfig.MAVEN_CENTRAL + ").")
  String mavenRepositories;

  @Option(names = "--maven-local-repository", paramLabel = "PATH", description = "Where resolved Maven artifacts are "
      + "kept (default: WORK_DIR/maven; for `corral up`, ~/.m2/repository when it exists).")
  Path mavenLocalRepository;

  @Option(names = "--fetcher-cache-size", paramLabel = "SIZE", description = "Bound of the agent's cache of "
      + "downloads marked cache: true, e.g. 512MiB (default: 2GiB).")
  String fetcherCacheSize;

  @Option(names = "--registries", paramLabel = "HOST[:PORT],...", description = "Registries that an image reference "
      + "without one (name:tag) is pulled from, in order (default: none; Docker Hub is not assumed).")
  String registries;

  @Option(names = "--insecure-registries", paramLabel = "HOST[:PORT],...", description = "Registries pulled from "
      + "over plain HTTP or without TLS verification.")
  String insecureRegistries;

  @Option(names = "--registry-auth-file", paramLabel = "PATH", description = "Registry credentials, a Docker-style "
      + "auth.json (as written by `skopeo login` or `docker login`).")
  Path registryAuthFile;

  @Option(names = "--image-dir", paramLabel = "DIR", description = "docker save tarballs (NAME:TAG.tar or NAME.tar), "
      + "used before any registry.")
  Path imageDir;

  @Option(names = "--image-cache-size", paramLabel = "SIZE", description = "Bound of the agent's unpacked images, "
      + "e.g. 20GiB (default: 10GiB); the least recently used ones no task runs on go first.")
  String imageCacheSize;

  @Option(names = "--log-max-size", defaultValue = "10MiB", paramLabel = "SIZE",
      description = "Rotate a task's stdout/stderr once larger than this, e.g. 512KiB, 10MiB (default: ${DEFAULT-VALUE}).")
  String logMaxSize;

  @Option(names = "--log-max-files", defaultValue = "3", paramLabel = "N",
      description = "Files kept per task stream, the live one included (default: ${DEFAULT-VALUE}).")
  int logMaxFiles;

  /** The files and logs API served on {@code bind:port} (0: any free port), with these rotation flags. */
  FilesConfig filesConfig(String bind, int port) {
    return FilesConfig.defaults().withBindAddress(bind).withPort(port)
        .withRotation(size(logMaxSize, "--log-max-size"), logMaxFiles, FilesConfig.DEFAULT_ROTATE_INTERVAL);
  }

  /** The hostname given, or this machine's name. */
  String hostname() {
    return hostname != null ? hostname : Hostnames.local();
  }

  /** The agent's configuration: defaults for its work dir, overridden by these flags. */
  AgentConfig toConfig(Path workDir) {
    AgentConfig defaults = AgentConfig.defaults(workDir);
    FetcherConfig fetcher = FetcherConfig.defaults().withMavenRepositories(mavenRepositories)
        .withMavenLocalRepository(mavenLocalRepository);
    if (fetcherCacheSize != null) {
      fetcher = fetcher.withCacheSizeBytes(size(fetcherCacheSize, "--fetcher-cache-size"));
    }
    ImagesConfig images = ImagesConfig.defaults().withRegistries(ImagesConfig.split(registries))
        .withInsecureRegistries(ImagesConfig.split(insecureRegistries)).withAuthFile(registryAuthFile)
        .withImageDir(imageDir);
    if (imageCacheSize != null) {
      images = images.withCacheSizeBytes(size(imageCacheSize, "--image-cache-size"));
    }
    fetcher = fetcher.withImages(images);
    return defaults.withHostname(hostname()).withResources(resources).withAttributes(attributes)
        .withCgroupsEnabled(defaults.cgroupsEnabled() && !noCgroups).withFetcher(fetcher)
        .withContainerizers(containerizers == null || containerizers.isBlank() ? null
            : ContainerizerSetup.parse(containerizers))
        .withOciRuntime(ociRuntime).withContainerNetwork(containerNetwork).withDns(dns)
        .withAllowPrivileged(allowPrivileged);
  }

  /**
   * As {@link #toConfig}, for the agent of {@code corral up}: on a developer's machine it shares the Maven
   * cache ({@code ~/.m2/repository}, when it exists), so that nothing Maven already has is downloaded again.
   */
  AgentConfig toUpConfig(Path workDir) {
    AgentConfig config = toConfig(workDir);
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
    if (mavenLocalRepository == null && Files.isDirectory(m2)) {
      config = config.withFetcher(config.fetcher().withMavenLocalRepository(m2));
    }
    return config;
  }

  private static long size(String text, String flag) {
    try {
      return Sizes.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }
}

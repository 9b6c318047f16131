package dev.corral.dist;

import dev.corral.agent.AgentConfig;
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

  @Option(names = "--no-cgroups", description = "Run tasks without cgroup isolation even as root.")
  boolean noCgroups;

  @Option(names = "--log-max-size", defaultValue = "10MiB", paramLabel = "SIZE",
      description = "Rotate a task's stdout/stderr once larger than this, e.g. 512KiB, 10MiB (default: ${DEFAULT-VALUE}).")
  String logMaxSize;

  @Option(names = "--log-max-files", defaultValue = "3", paramLabel = "N",
      description = "Files kept per task stream, the live one included (default: ${DEFAULT-VALUE}).")
  int logMaxFiles;

  /** The files and logs API served on {@code bind:port} (0: any free port), with these rotation flags. */
  FilesConfig filesConfig(String bind, int port) {
    return FilesConfig.defaults().withBindAddress(bind).withPort(port)
        .withRotation(Sizes.parse(logMaxSize, "--log-max-size"), logMaxFiles, FilesConfig.DEFAULT_ROTATE_INTERVAL);
  }

  /** The hostname given, or this machine's name. */
  String hostname() {
    return hostname != null ? hostname : Hostnames.local();
  }

  /** The agent's configuration: defaults for its work dir, overridden by these flags. */
  AgentConfig toConfig(Path workDir) {
    AgentConfig defaults = AgentConfig.defaults(workDir);
    return defaults.withHostname(hostname()).withResources(resources).withAttributes(attributes)
        .withCgroupsEnabled(defaults.cgroupsEnabled() && !noCgroups);
  }
}

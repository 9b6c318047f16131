package dev.corral.agent.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code resolv.conf} OCI tasks get when the agent is given a DNS server ({@code --dns}): bind-mounted
 * read-only over the host's in each container, so that names like {@code web.marathon.corral} resolve inside
 * tasks without touching the host's own resolver configuration.
 */
public final class ResolvConf {
  private ResolvConf() {}

  /**
   * Writes {@code WORK/etc/resolv.conf} naming the server; null (nothing written) when {@code server} is null.
   *
   * @param server an IP address, optionally with {@code :53}; resolv.conf has no port field
   */
  public static Path write(Path workDir, String server) throws IOException {
    if (server == null || server.isBlank()) {
      return null;
    }
    String host = server.trim();
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      if (!host.substring(colon + 1).equals("53")) {
        throw new IllegalArgumentException("--dns: resolv.conf can only name a server on port 53: " + server);
      }
      host = host.substring(0, colon);
    }
    Path file = workDir.resolve("etc").resolve("resolv.conf");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# written by the Corral agent (--dns)\nnameserver " + host + "\n");
    return file;
  }
}

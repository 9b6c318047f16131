package dev.corral.dist;

import dev.corral.dist.node.MasterNode;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** HTTPS on the gateway: {@code --tls-cert/--tls-key} files, or {@code --tls} with a certificate from the cluster CA. */
final class TlsOptions {
  @Option(names = "--tls", description = "Serve HTTPS with a certificate from the cluster's own CA (created on first"
      + " use, kept in ZooKeeper; the CLI context trusts it).")
  boolean tls;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain (PEM).")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PEM, unencrypted).")
  Path key;

  /** Null for plain HTTP. */
  MasterNode.Tls toSettings() {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (cert != null) {
      return new MasterNode.Tls(cert, key);
    }
    return tls ? new MasterNode.Tls(null, null) : null;
  }
}

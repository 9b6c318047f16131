package dev.corral.cli.auth;

import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import dev.corral.cli.http.ApiClient;
import java.io.InputStream;
import java.util.Optional;

/** What the auth commands need of the command line: the address in use, its context, and a client. */
public interface Session {
  /** A client carrying the context's token. */
  ApiClient client();

  /** The address in use: --url, $CORRAL_URL, the current context's, or the default. */
  String url();

  /** The context for {@link #url()}, if any. */
  Optional<ClusterContext> context();

  CliConfig config();

  /** Where passwords are read from when there is no terminal. */
  InputStream stdin();
}

package dev.corral.cli.auth;

import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral cluster setup|list|attach}: the CLI's contexts (one per cluster), kubectl-style. */
@Command(name = "cluster", description = "The clusters the CLI knows (contexts in ~/.corral) and which one is used.",
    mixinStandardHelpOptions = true)
public final class ClusterCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static CommandLine commandLine(Session session) {
    return new CommandLine(new ClusterCommand())
        .addSubcommand(new Setup(session))
        .addSubcommand(new ListClusters(session))
        .addSubcommand(new Attach(session));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  @Command(name = "setup", mixinStandardHelpOptions = true,
      description = "Add a cluster by its address, make it current, and log in (unless it has authentication off).")
  static final class Setup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The gateway's address, e.g. https://corral.example.com.")
    String url;

    @Option(names = "--name", description = "The context's name (default: host-port).")
    String name;

    @Option(names = "--ca", paramLabel = "PEM", description = "Trust this CA certificate (the cluster CA's ca.crt).")
    Path ca;

    @Option(names = "--username", defaultValue = "admin", description = "Account to log in as (default: ${DEFAULT-VALUE}).")
    String uid;

    @Option(names = "--password-file", description = "Read the password from this file instead of asking.")
    Path passwordFile;

    private final Session session;

    Setup(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      String caPem = null;
      if (ca != null) {
        try {
          caPem = Files.readString(ca, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + ca + ": " + e.getMessage(), e);
        }
      }
      String base = ApiClient.create(url, null, caPem).baseUrl(); // validates the address
      ClusterContext context = new ClusterContext(name != null ? name : CliConfig.nameFor(base), base, null, null,
          caPem);
      CliConfig config = session.config();
      config.put(context);
      config.setCurrent(context.name());
      PrintWriter out = spec.commandLine().getOut();
      boolean auth = ApiClient.create(base, null, caPem).get("/acs/api/v1/auth/status").json()
          .path("authentication").asBoolean(true);
      if (!auth) {
        out.printf("Added %s as '%s' (authentication is off there).%n", base, context.name());
        return 0;
      }
      com.fasterxml.jackson.databind.node.ObjectNode body = dev.corral.common.Json.mapper().createObjectNode()
          .put("uid", uid).put("password", Secrets.password(passwordFile, uid + "'s password: ", session));
      String token = ApiClient.create(base, null, caPem).post("/acs/api/v1/auth/login", body.toString()).json()
          .path("token").asText();
      config.put(context.withToken(uid, token));
      out.printf("Added %s as '%s' and logged in as %s.%n", base, context.name(), uid);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the contexts; * marks the current one.")
  static final class ListClusters implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Session session;

    ListClusters(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      CliConfig config = session.config();
      String current = config.current().map(ClusterContext::name).orElse("");
      Table t = Table.withHeaders("", "NAME", "URL", "USER");
      for (ClusterContext c : config.list()) {
        t.row(c.name().equals(current) ? "*" : "", c.name(), c.url(), c.token() == null ? "-" : String.valueOf(c.uid()));
      }
      t.print(spec.commandLine().getOut());
      return 0;
    }
  }

  @Command(name = "attach", mixinStandardHelpOptions = true, description = "Make a context the current one.")
  static final class Attach implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    private final Session session;

    Attach(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      CliConfig config = session.config();
      ClusterContext c = config.get(name).orElseThrow(() -> new IllegalArgumentException("no cluster '" + name
          + "' (see corral cluster list)"));
      config.setCurrent(c.name());
      spec.commandLine().getOut().printf("Using %s (%s).%n", c.name(), c.url());
      return 0;
    }
  }
}

package dev.corral.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral auth login|logout|status}: tokens in the CLI context of the cluster in use. */
@Command(name = "auth", description = "Log in to and out of the cluster (the token is kept in ~/.corral).",
    mixinStandardHelpOptions = true)
public final class AuthCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static CommandLine commandLine(Session session) {
    return new CommandLine(new AuthCommand())
        .addSubcommand(new Login(session))
        .addSubcommand(new Logout(session))
        .addSubcommand(new Status(session));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  @Command(name = "login", mixinStandardHelpOptions = true,
      description = {"Log in: asks for the password (or signs a login token with a service account's private key)",
          "and keeps the token in the cluster's CLI context, which becomes the current one."})
  static final class Login implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"--username", "--uid"}, defaultValue = "admin", description = "Account (default: ${DEFAULT-VALUE}).")
    String uid;

    @Option(names = "--password-file", description = "Read the password from this file instead of asking.")
    Path passwordFile;

    @Option(names = "--private-key", description = "A service account's private key (PEM, PKCS#8): log in with it.")
    Path privateKey;

    private final Session session;

    Login(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      String url = session.url();
      ClusterContext context = session.context().orElse(new ClusterContext(CliConfig.nameFor(url), url, null, null, null));
      ObjectNode body = Json.mapper().createObjectNode().put("uid", uid);
      if (privateKey != null) {
        body.put("token", ServiceLoginToken.sign(uid, read(privateKey), Instant.now(), Duration.ofMinutes(5)));
      } else {
        body.put("password", Secrets.password(passwordFile, uid + "'s password: ", session));
      }
      JsonNode answer = ApiClient.create(url, null, context.ca()).post("/acs/api/v1/auth/login", body.toString()).json();
      String token = answer.path("token").asText("");
      if (token.isEmpty()) {
        spec.commandLine().getOut().println(answer.path("message").asText("Authentication is off on " + url + "."));
        return 0;
      }
      session.config().put(context.withToken(uid, token));
      session.config().setCurrent(context.name());
      spec.commandLine().getOut().printf("Logged in to %s as %s (context '%s').%n", url, uid, context.name());
      return 0;
    }
  }

  @Command(name = "logout", mixinStandardHelpOptions = true,
      description = "Log out: the cluster revokes the token and the CLI context forgets it.")
  static final class Logout implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Session session;

    Logout(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      ClusterContext context = session.context().orElse(null);
      if (context == null || context.token() == null) {
        spec.commandLine().getOut().println("Not logged in to " + session.url() + ".");
        return 0;
      }
      session.client().post("/acs/api/v1/auth/logout", "{}");
      session.config().put(context.withToken(null, null));
      spec.commandLine().getOut().printf("Logged out of %s.%n", context.url());
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Who the CLI is logged in as, and whether the cluster has authentication on.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Session session;

    Status(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      JsonNode status = session.client().get("/acs/api/v1/auth/status").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, status);
        return 0;
      }
      if (!status.path("authentication").asBoolean()) {
        out.printf("%s: authentication is OFF (--no-auth).%n", session.url());
      } else if (status.path("uid").isTextual()) {
        out.printf("%s: logged in as %s.%n", session.url(), status.path("uid").asText());
      } else {
        out.printf("%s: not logged in (corral auth login).%n", session.url());
      }
      return 0;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.corral.cli.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.common.Json;
import dev.corral.common.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral secret create|update|get|list|delete}: the cluster's secret store
 * ({@code /secrets/v1/secret/default/<path>}, docs/secrets.md). Values are read from a file (or stdin with
 * {@code -}) rather than the command line where possible: a {@code --value} is visible to other users in the
 * process list and stays in the shell's history.
 */
@Command(name = "secret", description = "Secrets: values tasks get as environment variables or files.",
    mixinStandardHelpOptions = true)
public final class SecretCommand implements Callable<Integer> {
  static final String API = "/secrets/v1/secret/default/";

  @Spec
  CommandSpec spec;

  /** @param stdin what {@code --value-file -} reads */
  public static CommandLine commandLine(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    return new CommandLine(new SecretCommand())
        .addSubcommand(new Create(api, stdin))
        .addSubcommand(new Update(api, stdin))
        .addSubcommand(new Get(api))
        .addSubcommand(new ListSecrets(api))
        .addSubcommand(new Delete(api));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** Where a value comes from: exactly one of the two. */
  static final class ValueSource {
    @Option(names = "--value", paramLabel = "TEXT", description = "The value itself (visible in the process list;"
        + " prefer --value-file).")
    String value;

    @Option(names = "--value-file", paramLabel = "FILE", description = "Read the value from FILE (- for stdin);"
        + " any bytes, e.g. a keystore.")
    String file;

    byte[] read(Supplier<InputStream> stdin) throws IOException {
      if (value != null) {
        return value.getBytes(StandardCharsets.UTF_8);
      }
      return file.equals("-") ? stdin.get().readAllBytes() : Files.readAllBytes(Path.of(file));
    }
  }

  /** PUT (create) or PATCH (update) of a value: text as JSON, anything else as raw bytes. */
  abstract static class Write implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The secret's path, e.g. db/password.")
    String path;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ValueSource source;

    @Option(names = "--json", description = "Print {\"path\", \"created\"|\"updated\"} as JSON.")
    boolean json;

    private final String method;
    private final String done;
    private final Supplier<ApiClient> api;
    private final Supplier<InputStream> stdin;

    Write(String method, String done, Supplier<ApiClient> api, Supplier<InputStream> stdin) {
      this.method = method;
      this.done = done;
      this.api = api;
      this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
      byte[] value = source.read(stdin);
      String text = Utf8.textOrNull(value); // text goes as JSON, the rest as bytes
      ApiClient client = api.get();
      if (text != null) {
        client.send(method, API + path, Json.mapper().createObjectNode().put("value", text).toString());
      } else {
        client.sendBytes(method, API + path, value);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, Json.mapper().createObjectNode().put("path", path).put(done, true));
      } else {
        out.printf("Secret %s %s (%d bytes)%n", path, done, value.length);
      }
      return 0;
    }
  }

  @Command(name = "create", description = "Create a secret (fails when it exists).", mixinStandardHelpOptions = true)
  static final class Create extends Write {
    Create(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
      super("PUT", "created", api, stdin);
    }
  }

  @Command(name = "update", description = "Replace the value of an existing secret; tasks get it when they next"
      + " start.", mixinStandardHelpOptions = true)
  static final class Update extends Write {
    Update(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
      super("PATCH", "updated", api, stdin);
    }
  }

  @Command(name = "get", description = "Print a secret's value (or write it to a file).", mixinStandardHelpOptions = true)
  static final class Get implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the value's bytes to FILE.")
    Path output;

    @Option(names = "--json", description = "Print {\"path\", \"value\"} as JSON (text values only).")
    boolean json;

    private final Supplier<ApiClient> api;

    Get(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() throws IOException {
      byte[] value = api.get().getBytes(API + path);
      PrintWriter out = spec.commandLine().getOut();
      if (output != null) {
        Files.write(output, value);
        out.printf("Wrote %d bytes of secret %s to %s%n", value.length, path, output);
        return 0;
      }
      String text = Utf8.textOrNull(value);
      if (text == null) {
        throw new ParameterException(spec.commandLine(), "secret " + path + " is binary; write it to a file with"
            + " --output FILE");
      }
      if (json) {
        PrettyJson.print(out, Json.mapper().createObjectNode().put("path", path).put("value", text));
      } else {
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush(); // print does not flush, even on an auto-flushing writer
      }
      return 0;
    }
  }

  @Command(name = "list", description = "List secret paths (values are not shown).", mixinStandardHelpOptions = true)
  static final class ListSecrets implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "Only those under PREFIX.")
    String prefix;

    @Option(names = "--json", description = "Print the paths as a JSON array.")
    boolean json;

    private final Supplier<ApiClient> api;

    ListSecrets(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      String under = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
      // the API answers paths relative to the prefix; users name secrets by their whole path
      var paths = Json.mapper().createArrayNode();
      api.get().get(API + under + "?list=true").json().path("array")
          .forEach(p -> paths.add(under.isEmpty() ? p.asText() : under + "/" + p.asText()));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, paths);
        return 0;
      }
      Table table = Table.withHeaders("PATH");
      paths.forEach(p -> table.row(p.asText()));
      table.print(out);
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a secret; tasks already running keep what they were given.",
      mixinStandardHelpOptions = true)
  static final class Delete implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Option(names = "--json", description = "Print {\"path\", \"deleted\"} as JSON.")
    boolean json;

    private final Supplier<ApiClient> api;

    Delete(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      api.get().delete(API + path);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode done = Json.mapper().createObjectNode().put("path", path).put("deleted", true);
        PrettyJson.print(out, done);
      } else {
        out.printf("Secret %s deleted%n", path);
      }
      return 0;
    }
  }
}

package dev.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.CliRun.Result;
import dev.corral.cli.http.ApiClient;
import dev.corral.common.Version;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: where the cluster address comes from, version, usage and connection errors. */
class CliTest {
  private static final String EMPTY_LIST = "{\"apps\": []}";

  private FakeMarathon marathon;

  @BeforeEach
  void start() throws Exception {
    marathon = new FakeMarathon().on("GET", "/v2/apps?embed=apps.counts", 200, EMPTY_LIST);
  }

  @AfterEach
  void stop() {
    marathon.close();
  }

  @Test
  void urlIsAcceptedBeforeBetweenAndAfterSubcommands() {
    String[][] placements = {
        {"--url", marathon.url(), "app", "list"},
        {"app", "--url", marathon.url(), "list"},
        {"app", "list", "--url", marathon.url()},
        {"app", "list", "--url=" + marathon.url() + "/"},
    };
    for (String[] args : placements) {
      Result result = CliRun.run(args);

      assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(result.out()).startsWith("ID  INSTANCES");
    }
    assertThat(marathon.requests()).hasSize(placements.length);
  }

  @Test
  void jsonBeforeTheSubcommandIsTheSubcommandsJson() {
    Result before = CliRun.run("--json", "--url", marathon.url(), "app", "list");
    Result after = CliRun.run("app", "list", "--json", "--url", marathon.url());

    assertThat(before.exitCode()).as(before.err()).isZero();
    assertThat(before.out()).isEqualTo(after.out()).startsWith("{");
  }

  @Test
  void jsonBeforeACommandWithoutJsonOutputIsAUsageError() {
    Result parent = CliRun.run("--json", "--url", marathon.url(), "app");
    Result none = CliRun.run("--json", "--url", marathon.url());

    assertThat(parent.exitCode()).isEqualTo(2);
    assertThat(parent.err()).contains("'corral app' has no JSON output: leave out --json");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("'corral' has no JSON output");
    assertThat(marathon.requests()).isEmpty();
    Result help = CliRun.run("--json", "app", "list", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: corral app list");
  }

  @Test
  void corralUrlFromTheEnvironmentIsUsedWhenNoOptionIsGiven() {
    Result result = CliRun.run(Map.of("CORRAL_URL", marathon.url()), "", "app", "list");

    assertThat(result.exitCode()).isZero();
    assertThat(marathon.requests()).hasSize(1);
  }

  @Test
  void theOptionWinsOverTheEnvironment() throws Exception {
    Result result = CliRun.run(Map.of("CORRAL_URL", "http://127.0.0.1:" + closedPort()), "",
        "app", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isZero();
    assertThat(marathon.requests()).hasSize(1);
  }

  @Test
  void withNeitherOptionNorEnvironmentTheLocalDefaultIsUsed() {
    CommandLine cli = Cli.commandLine(name -> null, new ByteArrayInputStream(new byte[0]));
    cli.parseArgs("app", "list");

    assertThat(((RootCommand) cli.getCommand()).resolvedUrl()).isEqualTo("http://localhost:7070");
    assertThat(ApiClient.DEFAULT_URL).isEqualTo("http://localhost:7070");
  }

  @Test
  void connectionRefusedIsOneLineThatSaysWhereAndWhatToDo() throws Exception {
    String url = "http://127.0.0.1:" + closedPort();

    Result result = CliRun.run("app", "list", "--url", url);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("error: cannot reach Corral at " + url
        + ": connection refused \u2014 is 'corral up' running? (set --url or CORRAL_URL)\n");
  }

  @Test
  void anAnswerThatIsNotJsonSaysSoInsteadOfAStackTrace() {
    marathon.on("GET", "/v2/tasks", 200, "<html>hello</html>");

    Result result = CliRun.run("task", "list", "--url", marathon.url());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: unexpected response from " + marathon.url()
        + "/v2/tasks: not JSON (is --url pointing at Corral?)\n");
  }

  @Test
  void aMalformedUrlIsOneErrorLine() {
    Result result = CliRun.run("app", "list", "--url", "localhost:7070");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("error: invalid Corral URL 'localhost:7070': expected http(s)://host[:port], "
            + "e.g. http://localhost:7070\n");
  }

  @Test
  void versionPrintsCorralAndTheBuildVersion() {
    Result result = CliRun.run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("corral " + Version.get() + "\n");
    assertThat(Version.get()).isNotBlank().isNotEqualTo("unknown");
  }

  @Test
  void badUsageExitsTwoWithPicocliUsage() {
    Result unknownCommand = CliRun.run("app", "frobnicate");
    Result unknownOption = CliRun.run("task", "list", "--bogus");
    Result missingArgument = CliRun.run("app", "show");

    assertThat(unknownCommand.exitCode()).isEqualTo(2);
    // picocli prints suggestions instead of the full usage when it has some.
    assertThat(unknownCommand.err()).startsWith("Unmatched argument at index 1: 'frobnicate'");
    assertThat(unknownOption.exitCode()).isEqualTo(2);
    assertThat(unknownOption.err()).contains("Unknown option: '--bogus'").contains("Usage: corral task list");
    assertThat(missingArgument.exitCode()).isEqualTo(2);
    assertThat(missingArgument.err()).contains("Missing required parameter: 'ID'");
  }

  @Test
  void aGroupWithoutSubcommandIsBadUsageListingTheSubcommands() {
    Result bare = CliRun.run();
    Result app = CliRun.run("app");

    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).startsWith("Missing required subcommand\nUsage: corral ")
        .contains("app", "task", "deployment", "group", "pod");
    assertThat(app.exitCode()).isEqualTo(2);
    assertThat(app.err()).contains("add", "list", "show", "update", "scale", "restart", "versions", "rollback",
        "remove");
    for (String group : new String[] {"deployment", "group", "pod"}) {
      Result result = CliRun.run(group);
      assertThat(result.exitCode()).as(group).isEqualTo(2);
      assertThat(result.err()).as(group).startsWith("Missing required subcommand\nUsage: corral " + group);
    }
  }

  /** Stands in for the launcher's `up`: it must accept the inherited --url and the inherited --help. */
  @Command(name = "up", mixinStandardHelpOptions = true)
  static final class Up implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Test
  void subcommandsAddedLaterByTheLauncherInheritUrlAndHelp() {
    CommandLine cli = Cli.commandLine();
    cli.addSubcommand(new Up());

    Result withUrl = CliRun.execute(cli, "up", "--url", marathon.url());
    Result help = CliRun.execute(Cli.commandLine().addSubcommand(new Up()), "up", "--help");

    assertThat(withUrl.exitCode()).isZero();
    assertThat(withUrl.err()).isEmpty();
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: corral up [-hV] [--url=URL]");
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

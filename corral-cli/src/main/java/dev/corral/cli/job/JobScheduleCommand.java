package dev.corral.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.input.Definition;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral job schedule add|list|remove}: a job's cron schedules. */
@Command(name = "schedule", description = "Manage a job's cron schedules.", mixinStandardHelpOptions = true)
final class JobScheduleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  static CommandLine commandLine(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    return new CommandLine(new JobScheduleCommand())
        .addSubcommand(new Add(api, stdin))
        .addSubcommand(new ListSchedules(api))
        .addSubcommand(new Remove(api));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  @Command(name = "add", description = "Add a schedule ({\"id\", \"cron\", \"timezone\", \"concurrencyPolicy\", …}).",
      mixinStandardHelpOptions = true)
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job.")
    String job;

    @Parameters(index = "1", paramLabel = "FILE|-", description = "The schedule (JSON), or - for stdin.")
    String file;

    @Option(names = "--json", description = "Print the API's JSON answer.")
    boolean json;

    private final Supplier<ApiClient> api;
    private final Supplier<InputStream> stdin;

    Add(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
      this.api = api;
      this.stdin = stdin;
    }

    @Override
    public Integer call() {
      Definition schedule = Definition.read("schedule", file, stdin.get());
      JsonNode body = api.get().post(JobCommand.path(job) + "/schedules", schedule.text()).json();
      return JobCommand.report(spec, json, body, "Added schedule " + body.path("id").asText() + " ("
          + body.path("cron").asText() + ", next run " + body.path("nextRunAt").asText("-") + ") to job " + job);
    }
  }

  @Command(name = "list", description = "List a job's schedules.", mixinStandardHelpOptions = true)
  static final class ListSchedules implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job.")
    String job;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    private final Supplier<ApiClient> api;

    ListSchedules(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      JsonNode body = api.get().get(JobCommand.path(job) + "/schedules").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, body);
        return 0;
      }
      Table table = Table.withHeaders("ID", "CRON", "TIMEZONE", "CONCURRENCY", "ENABLED", "NEXT RUN");
      for (JsonNode s : body) {
        table.row(s.path("id").asText(), s.path("cron").asText(), Cells.text(s.path("timezone")),
            Cells.text(s.path("concurrencyPolicy")), s.path("enabled").asBoolean(true) ? "yes" : "no",
            Cells.text(s.path("nextRunAt")));
      }
      table.print(out);
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove a schedule from a job.", mixinStandardHelpOptions = true)
  static final class Remove implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job.")
    String job;

    @Parameters(index = "1", paramLabel = "SCHEDULE", description = "The schedule's id.")
    String schedule;

    private final Supplier<ApiClient> api;

    Remove(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      api.get().delete(JobCommand.path(job) + "/schedules/" + URLEncoder.encode(schedule, StandardCharsets.UTF_8));
      spec.commandLine().getOut().println("Removed schedule " + schedule + " from job " + job);
      return 0;
    }
  }
}

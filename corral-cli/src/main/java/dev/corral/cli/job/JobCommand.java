package dev.corral.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.input.Definition;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.common.Json;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral job}: batch jobs and their schedules (the Metronome API v1). */
@Command(name = "job", description = "Manage batch jobs: run now or on a cron schedule, see their history.",
    mixinStandardHelpOptions = true)
public final class JobCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The command with its subcommands, ready for the root command's {@code addSubcommand}. */
  public static CommandLine commandLine(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    return new CommandLine(new JobCommand())
        .addSubcommand(new Add(api, stdin))
        .addSubcommand(new ListJobs(api))
        .addSubcommand(new Show(api))
        .addSubcommand(new Run(api))
        .addSubcommand(new History(api))
        .addSubcommand(new Kill(api))
        .addSubcommand(new Remove(api))
        .addSubcommand(JobScheduleCommand.commandLine(api, stdin));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static String path(String jobId) {
    return "/v1/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
  }

  /** Prints the JSON with --json, else the sentence. */
  static int report(CommandSpec spec, boolean json, JsonNode body, String sentence) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
    } else {
      out.println(sentence);
    }
    return 0;
  }

  @Command(name = "add", description = "Create a job from a Metronome job definition (JSON).", mixinStandardHelpOptions = true)
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE|-", description = "The job definition file, or - for stdin.")
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
      Definition definition = Definition.read("job definition", file, stdin.get());
      JsonNode body = api.get().post("/v1/jobs", definition.text()).json();
      return report(spec, json, body, "Created job " + body.path("id").asText());
    }
  }

  @Command(name = "list", description = "List jobs with their schedules, active runs and history.",
      mixinStandardHelpOptions = true)
  static final class ListJobs implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    private final Supplier<ApiClient> api;

    ListJobs(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      JsonNode body = api.get().get("/v1/jobs?embed=activeRuns&embed=historySummary&embed=schedules").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, body);
        return 0;
      }
      Table table = Table.withHeaders("ID", "ACTIVE", "SCHEDULE", "NEXT RUN", "SUCCESS", "FAILURE", "LAST SUCCESS",
          "LAST FAILURE");
      for (JsonNode job : body) {
        List<String> crons = new ArrayList<>();
        List<String> next = new ArrayList<>();
        job.path("schedules").forEach(s -> {
          crons.add(s.path("cron").asText() + (s.path("enabled").asBoolean(true) ? "" : " (off)"));
          next.add(s.path("nextRunAt").asText(Cells.NONE));
        });
        JsonNode h = job.path("historySummary");
        table.row(job.path("id").asText(), Integer.toString(job.path("activeRuns").size()),
            crons.isEmpty() ? Cells.NONE : String.join(", ", crons), next.isEmpty() ? Cells.NONE : String.join(", ", next),
            Cells.number(h.path("successCount")), Cells.number(h.path("failureCount")),
            Cells.text(h.path("lastSuccessAt")), Cells.text(h.path("lastFailureAt")));
      }
      table.print(out);
      return 0;
    }
  }

  @Command(name = "show", description = "Show a job's definition, schedules, active runs and history (JSON).",
      mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The job.")
    String id;

    private final Supplier<ApiClient> api;

    Show(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      PrettyJson.print(spec.commandLine().getOut(),
          api.get().get(path(id) + "?embed=activeRuns&embed=history&embed=schedules").json());
      return 0;
    }
  }

  @Command(name = "run", description = "Start a run of the job now.", mixinStandardHelpOptions = true)
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The job.")
    String id;

    @Option(names = "--json", description = "Print the API's JSON answer.")
    boolean json;

    private final Supplier<ApiClient> api;

    Run(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      JsonNode body = api.get().post(path(id) + "/runs", "{}").json();
      return report(spec, json, body, "Started run " + body.path("id").asText() + " of job " + id);
    }
  }

  @Command(name = "history", description = "Finished runs of a job, newest first, with the success and failure counts.",
      mixinStandardHelpOptions = true)
  static final class History implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The job.")
    String id;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    private final Supplier<ApiClient> api;

    History(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      JsonNode job = api.get().get(path(id) + "?embed=history&embed=activeRuns").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, job.path("history"));
        return 0;
      }
      JsonNode h = job.path("history");
      out.println("successes: " + h.path("successCount").asLong() + "   failures: " + h.path("failureCount").asLong());
      Table table = Table.withHeaders("RUN", "STATUS", "STARTED", "FINISHED", "TASKS");
      for (JsonNode r : job.path("activeRuns")) {
        table.row(r.path("id").asText(), r.path("status").asText(), Cells.text(r.path("createdAt")), Cells.NONE,
            Cells.join(idsOf(r.path("tasks")), ", ")); // an active run's tasks are objects
      }
      addFinished(table, h.path("successfulFinishedRuns"), "SUCCESS");
      addFinished(table, h.path("failedFinishedRuns"), "FAILED");
      table.print(out);
      return 0;
    }

    private static JsonNode idsOf(JsonNode tasks) {
      ArrayNode ids = Json.mapper().createArrayNode();
      tasks.forEach(t -> ids.add(t.path("id").asText()));
      return ids;
    }

    private static void addFinished(Table table, JsonNode runs, String status) {
      for (JsonNode r : runs) {
        table.row(r.path("id").asText(), status, Cells.text(r.path("createdAt")), Cells.text(r.path("finishedAt")),
            Cells.join(r.path("tasks"), ", "));
      }
    }
  }

  @Command(name = "kill", description = "Stop a run: its task is killed and the run ends FAILED.",
      mixinStandardHelpOptions = true)
  static final class Kill implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The job.")
    String id;

    @Parameters(index = "1", paramLabel = "RUN", description = "The run.")
    String run;

    private final Supplier<ApiClient> api;

    Kill(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      api.get().post(path(id) + "/runs/" + URLEncoder.encode(run, StandardCharsets.UTF_8) + "/actions/stop", "{}");
      spec.commandLine().getOut().println("Stopping run " + run + " of job " + id);
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove a job, its schedules and history.", mixinStandardHelpOptions = true)
  static final class Remove implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The job.")
    String id;

    @Option(names = "--stop-current-job-runs", description = "Stop its active runs too (otherwise refused while any run).")
    boolean stopRuns;

    private final Supplier<ApiClient> api;

    Remove(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      api.get().delete(path(id) + (stopRuns ? "?stopCurrentJobRuns=true" : ""));
      spec.commandLine().getOut().println("Removed job " + id);
      return 0;
    }
  }
}

package dev.corral.dist.bench;

import dev.corral.master.AllocationBenchmark;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `corral bench allocator`: one allocation pass over many agents and roles ({@link AllocationBenchmark}). */
@Command(name = "allocator", description = "Milliseconds per allocation pass over many agents and roles.")
public final class AllocatorBenchmarkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--agents", defaultValue = "50000", description = "Agents (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--roles", defaultValue = "1000", description = "Roles, one framework each (default: ${DEFAULT-VALUE}).")
  int roles;

  @Option(names = "--passes", defaultValue = "100",
      description = "Measured passes (default: ${DEFAULT-VALUE}; with fewer than 100 the p99 is the slowest pass).")
  int passes;

  @Option(names = "--warmup", defaultValue = "20",
      description = "Passes run before the measured ones, of each kind (default: ${DEFAULT-VALUE}); the first passes "
          + "of a new master are slower while its code compiles and the cluster's state settles in the heap.")
  int warmup;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    // Per-agent registration lines would drown the figures.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.corral"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    AllocationBenchmark.Figures f = AllocationBenchmark.run(agents, roles, warmup, passes, line -> {
      out.println(line);
      out.flush();
    });
    out.printf(Locale.ROOT, "planner pass (the DRF decision):   p50 %.1f ms, p99 %.1f ms%n", f.plannerP50(),
        f.plannerP99());
    out.printf(Locale.ROOT, "full pass on the loop (decision + offers booked and handed to the sender): p50 %.1f ms, "
        + "p99 %.1f ms%n", f.fullP50(), f.fullP99());
    out.printf(Locale.ROOT, "until delivered (offer messages built and serialized by the sender): p50 %.1f ms, "
        + "p99 %.1f ms%n", f.deliveredP50(), f.deliveredP99());
    out.printf(Locale.ROOT, "target: p99 <= 50 ms for one pass over %,d agents and %,d roles%n", agents, roles);
    return 0;
  }
}

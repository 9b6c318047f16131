package dev.corral.dist.bench;

import picocli.CommandLine.Command;

/** `corral bench …`: benchmarks that print figures (they are not tests). */
@Command(name = "bench", description = "Run a benchmark and print its figures.",
    subcommands = {LaunchBenchmark.class, ServicesBenchmark.class, OciBenchmark.class, DnsBenchmark.class,
        AgentLossBenchmark.class, AllocatorBenchmarkCommand.class, FailoverBenchmark.class,
        GatewayBenchmark.class, StoreBenchmark.class})
public final class BenchCommand {}

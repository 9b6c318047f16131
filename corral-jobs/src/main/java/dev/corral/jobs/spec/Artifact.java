package dev.corral.jobs.spec;

/** A URI the agent's fetcher puts into the sandbox before the command starts. */
public record Artifact(String uri, boolean extract, boolean executable, boolean cache) {}

package dev.corral.jobs.spec;

/** One invalid field: a JSON-pointer-like path ({@code /run/cpus}) and what is wrong with it. */
public record Violation(String path, String error) {}

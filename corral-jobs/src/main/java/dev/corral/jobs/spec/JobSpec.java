package dev.corral.jobs.spec;

import java.util.Map;

/** A job: an id (dot-separated names), a description, labels and what each run executes. Immutable. */
public record JobSpec(String id, String description, Map<String, String> labels, RunSpec run) {
  public JobSpec {
    labels = Map.copyOf(labels);
  }
}

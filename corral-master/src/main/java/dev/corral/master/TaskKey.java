package dev.corral.master;

/** Task ids are unique per framework (as in Mesos), so the master's task table is keyed by both. */
record TaskKey(String frameworkId, String taskId) {
  @Override
  public String toString() {
    return taskId + " of " + frameworkId;
  }
}

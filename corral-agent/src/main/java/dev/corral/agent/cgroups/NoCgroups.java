package dev.corral.agent.cgroups;

/** Tasks run without cgroups (non-root, disabled, or none usable); {@link #describe} says why. */
final class NoCgroups implements Cgroups {
  private final String reason;

  NoCgroups(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public String describe() {
    return "no cgroups: " + reason;
  }

  @Override
  public TaskCgroup create(String taskId, CgroupLimits limits) {
    return TaskCgroup.NONE;
  }

  @Override
  public TaskCgroup existing(String taskId) {
    return TaskCgroup.NONE;
  }
}

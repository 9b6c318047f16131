package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.api.v1.TaskInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containerizers an agent has, in the operator's order of preference ({@code --containerizers}). A
 * new task goes to the first one that can run it; every later step (kill, collect, recovery) goes to the
 * one that {@link Containerizer#ran ran} it, which each decides from the task's checkpoint directory, so
 * an agent restarted with another list still finishes the tasks it started before. Immutable.
 */
public final class Containerizers implements Containerizer {
  private static final Logger log = LoggerFactory.getLogger(Containerizers.class);

  private final List<Containerizer> ordered;
  private final Containerizer fallback;
  private final Function<String, Path> metaDirs;

  /**
   * @param ordered the enabled containerizers, preferred first; not empty
   * @param fallback handles tasks none of {@code ordered} claims (started by a containerizer that is no
   *     longer enabled, or before a launch wrote anything) and runs health-check processes
   * @param metaDirs a task id's checkpoint directory
   */
  public Containerizers(List<Containerizer> ordered, ProcessContainerizer fallback, Function<String, Path> metaDirs) {
    if (ordered.isEmpty()) {
      throw new IllegalArgumentException("at least one containerizer is needed");
    }
    this.ordered = List.copyOf(ordered);
    this.fallback = fallback;
    this.metaDirs = metaDirs;
  }

  public List<String> names() {
    List<String> out = new ArrayList<>();
    ordered.forEach(c -> out.add(c.name()));
    return out;
  }

  @Override
  public String name() {
    return String.join(",", names());
  }

  @Override
  public String cannotRun(TaskInfo task) {
    List<String> reasons = new ArrayList<>();
    for (Containerizer c : ordered) {
      String why = c.cannotRun(task);
      if (why == null) {
        return null;
      }
      reasons.add(c.name() + ": " + why);
    }
    return String.join("; ", reasons);
  }

  @Override
  public boolean ran(Path metaDir) {
    return true;
  }

  @Override
  public String describeIsolation() {
    List<String> parts = new ArrayList<>();
    ordered.forEach(c -> parts.add(c.name() + " (" + c.describeIsolation() + ")"));
    return String.join(", ", parts);
  }

  @Override
  public TaskCgroup cgroupOf(String taskId) {
    return owner(taskId).cgroupOf(taskId);
  }

  @Override
  public Launched launch(LaunchRequest req) throws LaunchException {
    for (Containerizer c : ordered) {
      if (c.cannotRun(req.task()) == null) {
        return c.launch(req);
      }
    }
    throw new LaunchException("no containerizer of this agent can run the task: " + cannotRun(req.task()));
  }

  @Override
  public void terminate(String taskId, TaskPids pids) {
    owner(taskId).terminate(taskId, pids);
  }

  @Override
  public void forceKill(String taskId, TaskPids pids, TaskCgroup cgroup) {
    owner(taskId).forceKill(taskId, pids, cgroup);
  }

  @Override
  public ExitFacts collect(String taskId, Path metaDir, TaskPids pids, TaskCgroup cgroup, boolean justEnded) {
    return owner(taskId).collect(taskId, metaDir, pids, cgroup, justEnded);
  }

  @Override
  public ProcessBuilder checkProcess(TaskInfo task, String frameworkId, String agentId, Path sandbox,
      String command) {
    return owner(task.getTaskId()).checkProcess(task, frameworkId, agentId, sandbox, command);
  }

  private Containerizer owner(String taskId) {
    Path metaDir = metaDirs.apply(taskId);
    for (Containerizer c : ordered) {
      if (c.ran(metaDir)) {
        return c;
      }
    }
    log.debug("task {} claimed by no enabled containerizer; handled as a process task", taskId);
    return fallback;
  }
}

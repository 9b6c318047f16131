package dev.corral.agent.gpu;

import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a task learns and keeps its GPUs: {@code CUDA_VISIBLE_DEVICES} and {@code NVIDIA_VISIBLE_DEVICES} (the
 * indices, which CUDA programs and NVIDIA's container tools read) set in the task's own environment, so they
 * are checkpointed with it and an agent restart finds the assignment again. A task without GPUs on a GPU node
 * gets an empty list: CUDA then sees none.
 */
public final class GpuEnvironment {
  public static final String CUDA = "CUDA_VISIBLE_DEVICES";
  public static final String NVIDIA = "NVIDIA_VISIBLE_DEVICES";

  private GpuEnvironment() {}

  /** The whole number of GPUs the task's resources ask for. */
  public static int requested(TaskInfo task) {
    double total = 0;
    for (Resource r : task.getResourcesList()) {
      if (r.getName().equals("gpus")) {
        total += r.getScalar();
      }
    }
    return (int) Math.round(total);
  }

  /** The task with its GPUs in its environment. */
  public static TaskInfo withGpus(TaskInfo task, List<Gpu> gpus) {
    List<String> indices = new ArrayList<>();
    List<String> minors = new ArrayList<>();
    gpus.forEach(g -> {
      indices.add(Integer.toString(g.index()));
      minors.add(Integer.toString(g.minor()));
    });
    String list = String.join(",", indices);
    TaskInfo.Builder b = task.toBuilder();
    b.getCommandBuilder().putEnvironment(CUDA, list).putEnvironment(NVIDIA, gpus.isEmpty() ? "void" : list)
        .putEnvironment(GpuDevices.MINORS, String.join(",", minors));
    return b.build();
  }

  /** The GPU indices a (recovered) task was given; empty when none. */
  public static List<Integer> assigned(TaskInfo task) {
    Map<String, String> env = task.getCommand().getEnvironmentMap();
    String list = env.getOrDefault(CUDA, "");
    List<Integer> out = new ArrayList<>();
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        try {
          out.add(Integer.parseInt(part.trim()));
        } catch (NumberFormatException e) {
          // set by the user to something else: not ours
        }
      }
    }
    return out;
  }
}

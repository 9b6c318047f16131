package dev.corral.agent.gpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which task holds which GPU. The master accounts for the number of GPUs; the agent picks the devices, so that
 * two tasks never share one. Lowest indices first. Used on the agent's event loop only.
 */
public final class GpuAllocator {
  private final List<Gpu> gpus;
  private final TreeSet<Integer> free = new TreeSet<>();
  private final Map<String, List<Gpu>> held = new HashMap<>();

  public GpuAllocator(List<Gpu> gpus) {
    this.gpus = List.copyOf(gpus);
    gpus.forEach(g -> free.add(g.index()));
  }

  public List<Gpu> all() {
    return gpus;
  }

  public int freeCount() {
    return free.size();
  }

  /** {@code count} free GPUs for the task, or null when there are not that many free. */
  public List<Gpu> assign(String taskId, int count) {
    if (count > free.size()) {
      return null;
    }
    List<Gpu> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(byIndex(free.pollFirst()));
    }
    if (!out.isEmpty()) {
      held.put(taskId, out);
    }
    return out;
  }

  /** Marks the GPUs of a task found running after an agent restart as held again. */
  public void restore(String taskId, List<Integer> indices) {
    List<Gpu> out = new ArrayList<>();
    for (int index : indices) {
      if (free.remove(index)) {
        out.add(byIndex(index));
      }
    }
    if (!out.isEmpty()) {
      held.put(taskId, out);
    }
  }

  public void release(String taskId) {
    List<Gpu> gone = held.remove(taskId);
    if (gone != null) {
      gone.forEach(g -> free.add(g.index()));
    }
  }

  private Gpu byIndex(int index) {
    for (Gpu g : gpus) {
      if (g.index() == index) {
        return g;
      }
    }
    throw new IllegalStateException("no GPU " + index);
  }
}

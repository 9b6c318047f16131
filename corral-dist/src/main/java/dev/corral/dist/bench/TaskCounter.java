package dev.corral.dist.bench;

import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.sim.StatusListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts acknowledged updates of one state for tasks whose ids start with a prefix (an app's task prefix,
 * e.g. {@code bench_a.}), as the simulated agents hear the acknowledgements: an acknowledged RUNNING is a
 * task the scheduler has recorded as running, durably. Cheaper and finer than polling the API. Thread-safe.
 */
final class TaskCounter implements StatusListener {
  private record Watch(String prefix, TaskState state, LongAdder count) {}

  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  /** Starts counting; the returned counter grows from now on. */
  LongAdder watch(String taskIdPrefix, TaskState state) {
    LongAdder count = new LongAdder();
    watches.add(new Watch(taskIdPrefix, state, count));
    return count;
  }

  @Override
  public void acknowledged(TaskStatus status) {
    for (Watch w : watches) {
      if (status.getState() == w.state() && status.getTaskId().startsWith(w.prefix())) {
        w.count().increment();
      }
    }
  }
}

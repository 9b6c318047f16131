package dev.corral.scheduler;

import dev.corral.api.v1.Operation;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a framework makes to the master. Thread-safe; every call is asynchronous and its future fails when
 * the master rejects it (e.g. no live subscription).
 */
public interface SchedulerDriver extends AutoCloseable {

  /** Subscribes (or re-subscribes, when the framework info carries an id) and keeps the subscription up. */
  void start();

  /** Launches tasks on the offers' agent; resources left over are refused for {@code refuseSeconds}. */
  CompletableFuture<Void> launch(Collection<String> offerIds, List<TaskInfo> tasks, double refuseSeconds);

  /**
   * Launches tasks and task groups on the offers' agent in one call: each group as one LAUNCH_GROUP
   * operation (all of its tasks or none), the tasks as one LAUNCH.
   */
  CompletableFuture<Void> launch(Collection<String> offerIds, List<TaskInfo> tasks, List<TaskGroupInfo> groups,
      double refuseSeconds);

  /**
   * Any operations on the offers' agent in one ACCEPT, in the order given: RESERVE and CREATE before the
   * launches that use what they make, DESTROY before the UNRESERVE of a volume's disk.
   */
  CompletableFuture<Void> accept(Collection<String> offerIds, List<Operation> operations, double refuseSeconds);

  CompletableFuture<Void> decline(Collection<String> offerIds, double refuseSeconds);

  /** Clears decline filters and asks for offers again after a {@link #suppress}. */
  CompletableFuture<Void> revive();

  /** Asks the master to stop sending offers until the next {@link #revive}. */
  CompletableFuture<Void> suppress();

  CompletableFuture<Void> kill(String taskId, String agentId, OptionalDouble gracePeriodSeconds);

  CompletableFuture<Void> acknowledge(TaskStatus status);

  /** Explicit reconciliation of the given tasks; an empty list reconciles every task of the framework. */
  CompletableFuture<Void> reconcile(List<ReconcileTask> tasks);

  @Override
  void close();
}

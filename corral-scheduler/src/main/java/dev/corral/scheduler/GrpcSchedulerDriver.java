package dev.corral.scheduler;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.Acknowledgement;
import dev.corral.api.v1.CallAck;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.Filters;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.KillCall;
import dev.corral.api.v1.Launch;
import dev.corral.api.v1.LaunchGroup;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.ReconcileCall;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.ReviveCall;
import dev.corral.api.v1.SchedulerChannelGrpc;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.SubscribeRequest;
import dev.corral.api.v1.SuppressCall;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskKill;
import dev.corral.api.v1.TaskStatus;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchedulerDriver} over gRPC (network or in-process channel). Events are delivered to the
 * {@link Scheduler} on one thread, in order. A broken subscription is re-established with backoff, reusing
 * the framework id the master assigned.
 */
public final class GrpcSchedulerDriver implements SchedulerDriver {
  private static final Logger log = LoggerFactory.getLogger(GrpcSchedulerDriver.class);

  private final SchedulerChannelGrpc.SchedulerChannelStub async;
  private final SchedulerChannelGrpc.SchedulerChannelFutureStub calls;
  private final Scheduler scheduler;
  private final ScheduledExecutorService events;
  private volatile FrameworkInfo framework;
  private volatile Context.CancellableContext subscription;
  private volatile boolean closed;
  private long backoffMillis = 100;
  /** The last call issued; the next one starts when it completes. Guarded by this. */
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  /**
   * Acknowledgements not yet sent, in order. While {@link #ACK_CALLS_IN_FLIGHT} calls are unanswered the others
   * wait here and go together, up to {@link #ACKS_PER_CALL} per call, as answers come back: one acknowledgement
   * per call when few come, few calls for many. Bounded in flight so that the hundred thousand updates a
   * failover's reconciliation brings do not become as many calls queued at once in front of the master's other
   * work. Guarded by this.
   */
  private final ArrayDeque<PendingAck> waitingAcks = new ArrayDeque<>();
  private int ackCallsInFlight;
  static final int ACK_CALLS_IN_FLIGHT = 4;
  static final int ACKS_PER_CALL = 512;

  private record PendingAck(TaskStatus status, CompletableFuture<Void> result) {}

  /** The last kill call in line, not yet sent, which the kills that follow join. Guarded by this. */
  private KillBatch openKills;
  static final int KILLS_PER_CALL = 1_024;

  /** Kills sent in one call once the calls before it are answered. Guarded by the driver. */
  private static final class KillBatch {
    final List<TaskKill> kills = new ArrayList<>();
    boolean sent;
    CompletableFuture<Void> result;
  }

  public GrpcSchedulerDriver(Channel channel, FrameworkInfo framework, Scheduler scheduler) {
    this.async = SchedulerChannelGrpc.newStub(channel);
    this.calls = SchedulerChannelGrpc.newFutureStub(channel);
    this.framework = framework;
    this.scheduler = scheduler;
    this.events = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scheduler-driver-" + framework.getName());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void start() {
    events.execute(this::subscribe);
  }

  private String frameworkId() {
    return framework.getFrameworkId();
  }

  private void subscribe() {
    if (closed) {
      return;
    }
    Context.CancellableContext ctx = Context.current().withCancellation();
    subscription = ctx;
    ctx.run(() -> async.subscribe(SubscribeRequest.newBuilder().setFramework(framework).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(SchedulerEvent event) {
            deliver(() -> dispatch(event));
          }

          @Override
          public void onError(Throwable t) {
            deliver(() -> lost(t.getMessage()));
          }

          @Override
          public void onCompleted() {
            deliver(() -> lost("master closed the subscription"));
          }
        }));
  }

  /** Hands an event to the driver's thread; after close() the stream's last words are dropped. */
  private void deliver(Runnable event) {
    if (closed) {
      return;
    }
    try {
      events.execute(event);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() raced with the stream's end
    }
  }

  private void lost(String reason) {
    if (closed) {
      return;
    }
    log.info("subscription of {} lost ({}); re-subscribing in {} ms", framework.getName(), reason, backoffMillis);
    scheduler.disconnected(reason);
    events.schedule(this::subscribe, backoffMillis, TimeUnit.MILLISECONDS);
    backoffMillis = Math.min(backoffMillis * 2, 5_000);
  }

  private void dispatch(SchedulerEvent event) {
    switch (event.getKindCase()) {
      case SUBSCRIBED -> {
        backoffMillis = 100;
        framework = framework.toBuilder().setFrameworkId(event.getSubscribed().getFrameworkId()).build();
        scheduler.subscribed(event.getSubscribed().getFrameworkId());
      }
      case OFFERS -> scheduler.offers(event.getOffers().getOffersList());
      case RESCIND -> scheduler.rescinded(event.getRescind().getOfferId());
      case UPDATE -> scheduler.update(event.getUpdate().getStatus());
      case FAILURE -> scheduler.failure(event.getFailure().getAgentId(), event.getFailure().getMessage());
      case DRAIN -> scheduler.draining(event.getDrain().getAgentId(), event.getDrain().getDraining(),
          event.getDrain().getDeadlineMillis());
      case ERROR -> log.warn("master error for {}: {}", framework.getName(), event.getError().getMessage());
      case HEARTBEAT, KIND_NOT_SET -> { }
    }
  }

  @Override
  public CompletableFuture<Void> launch(Collection<String> offerIds, List<TaskInfo> tasks, double refuseSeconds) {
    return call(() -> calls.accept(AcceptCall.newBuilder()
        .setFrameworkId(frameworkId())
        .addAllOfferIds(offerIds)
        .addOperations(Operation.newBuilder().setLaunch(Launch.newBuilder().addAllTasks(tasks)))
        .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds))
        .build()));
  }

  @Override
  public CompletableFuture<Void> launch(Collection<String> offerIds, List<TaskInfo> tasks, List<TaskGroupInfo> groups,
      double refuseSeconds) {
    AcceptCall.Builder accept = AcceptCall.newBuilder()
        .setFrameworkId(frameworkId())
        .addAllOfferIds(offerIds)
        .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
    if (!tasks.isEmpty()) {
      accept.addOperations(Operation.newBuilder().setLaunch(Launch.newBuilder().addAllTasks(tasks)));
    }
    for (TaskGroupInfo group : groups) {
      accept.addOperations(Operation.newBuilder().setLaunchGroup(LaunchGroup.newBuilder().setTaskGroup(group)));
    }
    AcceptCall call = accept.build();
    return call(() -> calls.accept(call));
  }

  @Override
  public CompletableFuture<Void> accept(Collection<String> offerIds, List<Operation> operations,
      double refuseSeconds) {
    AcceptCall call = AcceptCall.newBuilder()
        .setFrameworkId(frameworkId())
        .addAllOfferIds(offerIds)
        .addAllOperations(operations)
        .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds))
        .build();
    return call(() -> calls.accept(call));
  }

  @Override
  public CompletableFuture<Void> decline(Collection<String> offerIds, double refuseSeconds) {
    return call(() -> calls.decline(DeclineCall.newBuilder()
        .setFrameworkId(frameworkId())
        .addAllOfferIds(offerIds)
        .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds))
        .build()));
  }

  @Override
  public CompletableFuture<Void> revive() {
    return call(() -> calls.revive(ReviveCall.newBuilder().setFrameworkId(frameworkId()).build()));
  }

  @Override
  public CompletableFuture<Void> suppress() {
    return call(() -> calls.suppress(SuppressCall.newBuilder().setFrameworkId(frameworkId()).build()));
  }

  /**
   * In line with the other calls (a kill must not overtake its task's launch), but the kills that come while
   * their call waits for its turn join it, up to {@link #KILLS_PER_CALL}: removing an app of 100,000 instances
   * took a minute at one round trip per kill.
   */
  @Override
  public CompletableFuture<Void> kill(String taskId, String agentId, OptionalDouble gracePeriodSeconds) {
    TaskKill.Builder kill = TaskKill.newBuilder().setTaskId(taskId).setAgentId(agentId);
    gracePeriodSeconds.ifPresent(kill::setGracePeriodSeconds);
    synchronized (this) {
      KillBatch open = openKills;
      if (open != null && !open.sent && open.kills.size() < KILLS_PER_CALL) {
        open.kills.add(kill.build());
        return open.result;
      }
      KillBatch batch = new KillBatch();
      batch.kills.add(kill.build());
      batch.result = call(() -> calls.kill(send(batch)));
      openKills = batch;
      return batch.result;
    }
  }

  /** The batch's call, built when its turn comes; nothing joins it after that. */
  private synchronized KillCall send(KillBatch batch) {
    batch.sent = true;
    return KillCall.newBuilder().setFrameworkId(frameworkId()).addAllKills(batch.kills).build();
  }

  @Override
  public CompletableFuture<Void> acknowledge(TaskStatus status) {
    // Not in line behind the other calls: an acknowledgement concerns one status of one task and nothing else
    // depends on when it arrives. In line, each waited for the master's answer to the call before it, so a
    // burst of launches was acknowledged (twice per task: STARTING, RUNNING) one round trip at a time.
    if (status.getUuid().isEmpty()) {
      // nothing to acknowledge (a reconciliation's answer): in a call, it would refuse the others with it
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    List<PendingAck> batch;
    synchronized (this) {
      waitingAcks.add(new PendingAck(status, result));
      if (ackCallsInFlight >= ACK_CALLS_IN_FLIGHT) {
        return result;
      }
      ackCallsInFlight++;
      batch = nextAcks();
    }
    sendAcks(batch);
    return result;
  }

  /** Takes the next call's acknowledgements off the waiting line. Guarded by this. */
  private List<PendingAck> nextAcks() {
    List<PendingAck> batch = new ArrayList<>(Math.min(ACKS_PER_CALL, waitingAcks.size()));
    while (batch.size() < ACKS_PER_CALL && !waitingAcks.isEmpty()) {
      batch.add(waitingAcks.poll());
    }
    return batch;
  }

  /** Sends one call; its answer sends what waits meanwhile in its place. */
  private void sendAcks(List<PendingAck> batch) {
    AcknowledgeCall.Builder call = AcknowledgeCall.newBuilder().setFrameworkId(frameworkId());
    for (PendingAck a : batch) {
      call.addAcknowledgements(Acknowledgement.newBuilder().setAgentId(a.status().getAgentId())
          .setTaskId(a.status().getTaskId()).setUuid(a.status().getUuid()));
    }
    toCompletable(calls.acknowledge(call.build())).whenComplete((ok, failed) -> {
      List<PendingAck> next = null;
      synchronized (this) {
        if (waitingAcks.isEmpty()) {
          ackCallsInFlight--;
        } else {
          next = nextAcks();
        }
      }
      if (next != null) {
        sendAcks(next);
      }
      for (PendingAck a : batch) {
        if (failed == null) {
          a.result().complete(null);
        } else {
          a.result().completeExceptionally(failed);
        }
      }
    });
  }

  @Override
  public CompletableFuture<Void> reconcile(List<ReconcileTask> tasks) {
    return call(() -> calls.reconcile(ReconcileCall.newBuilder().setFrameworkId(frameworkId()).addAllTasks(tasks).build()));
  }

  /**
   * Issues calls one after another: the master handles concurrent unary calls in any order, and a SUPPRESS
   * overtaking the REVIVE sent after it would leave the framework without offers (or a KILL its task's LAUNCH).
   * Acknowledgements alone are sent apart, in a window of their own calls (see {@link #waitingAcks}); kills
   * waiting in line together go in one call (see {@link #kill}).
   */
  private CompletableFuture<Void> call(java.util.function.Supplier<ListenableFuture<CallAck>> issue) {
    CompletableFuture<Void> result;
    synchronized (this) {
      openKills = null; // a kill after this call must not join one sent before it
      result = tail.handle((ok, failed) -> null).thenCompose(ignored -> toCompletable(issue.get()));
      tail = result;
    }
    return result;
  }

  private static CompletableFuture<Void> toCompletable(ListenableFuture<CallAck> future) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    Futures.addCallback(future, new FutureCallback<>() {
      @Override
      public void onSuccess(CallAck ack) {
        result.complete(null);
      }

      @Override
      public void onFailure(Throwable t) {
        result.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
    return result;
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext ctx = subscription;
    if (ctx != null) {
      ctx.cancel(null);
    }
    events.shutdownNow();
  }
}

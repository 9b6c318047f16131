package dev.corral.master;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentHeartbeat;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.RunTask;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.StatusUpdate;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.api.TaskLifecycle;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An agent that speaks the real {@code AgentChannel} protocol without running anything: it registers (with
 * its id and tasks when it has them), answers RunTask with a TASK_RUNNING update and KillTask with
 * TASK_KILLED, resends every unacknowledged update until the master forwards the ack, heartbeats, and
 * re-registers by itself when the master ends the stream (unless the test disconnected it on purpose).
 *
 * <p>All of its state is owned by one thread; gRPC callbacks and test calls hop onto it. Reusable by
 * scale benchmarks: it holds no master internals.
 */
final class SimulatedAgent implements AutoCloseable {
  private record Held(RunTask run, TaskStatus latest) {}

  private final AgentChannelGrpc.AgentChannelStub stub;
  private final AgentInfo info;
  private final long resendMillis;
  private final ScheduledExecutorService thread;

  /** Everything the master sent, for assertions. Thread-safe. */
  final List<MasterMessage> received = new CopyOnWriteArrayList<>();

  // Owned by `thread`.
  private String agentId = "";
  private StreamObserver<AgentMessage> out;
  private long streamSeq;
  private boolean reconnect = true;
  private boolean heartbeats = true;
  private final Map<String, Held> tasks = new LinkedHashMap<>();
  private final Map<String, TaskStatus> unacked = new LinkedHashMap<>();
  private CompletableFuture<String> registered = new CompletableFuture<>();
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> resend;
  private volatile boolean closed;

  SimulatedAgent(Channel channel, String hostname, String resources) {
    this(channel, AgentInfo.newBuilder().setHostname(hostname).addAllResources(TestResources.proto(resources)).build(),
        300);
  }

  SimulatedAgent(Channel channel, AgentInfo info, long resendMillis) {
    this.stub = AgentChannelGrpc.newStub(channel);
    this.info = info;
    this.resendMillis = resendMillis;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simulated-agent-" + info.getHostname());
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens a stream and (re-)registers; the future completes with the agent id once acknowledged. */
  CompletableFuture<String> connect() {
    return onThread(() -> {
      reconnect = true;
      openStream();
      return registered;
    }).thenCompose(f -> f);
  }

  /** Cancels the stream, as a crashed agent or a broken network would; no reconnect until {@link #connect}. */
  void disconnect() {
    onThread(() -> {
      reconnect = false;
      if (out != null) {
        out.onError(Status.CANCELLED.withDescription("simulated agent disconnects").asException());
        out = null;
      }
      stopTimers();
      return null;
    }).join();
  }

  /** Goes silent: no heartbeats (the stream stays open). */
  void stopHeartbeats() {
    onThread(() -> heartbeats = false).join();
  }

  String agentId() {
    return onThread(() -> agentId).join();
  }

  /** Sends a status update that must be acknowledged, as the agent's executor would. */
  void report(String taskId, TaskState state) {
    onThread(() -> {
      Held held = tasks.get(taskId);
      update(held.run(), state, state == TaskState.TASK_KILLED ? StatusReason.REASON_TASK_KILLED
          : StatusReason.REASON_UNSPECIFIED);
      return null;
    }).join();
  }

  List<String> acknowledgedUuids() {
    List<String> out = new ArrayList<>();
    for (MasterMessage m : received) {
      if (m.hasAcknowledgement()) {
        out.add(m.getAcknowledgement().getUuid());
      }
    }
    return out;
  }

  int unackedCount() {
    return onThread(unacked::size).join();
  }

  // ---- on the agent's thread ----

  private void openStream() {
    long seq = ++streamSeq;
    if (registered.isDone()) {
      registered = new CompletableFuture<>();
    }
    out = stub.connect(new StreamObserver<>() {
      @Override
      public void onNext(MasterMessage message) {
        received.add(message);
        hop(() -> handle(seq, message));
      }

      @Override
      public void onError(Throwable t) {
        hop(() -> streamEnded(seq));
      }

      @Override
      public void onCompleted() {
        hop(() -> streamEnded(seq));
      }
    });
    List<AgentTask> report = new ArrayList<>();
    for (Held held : tasks.values()) {
      report.add(AgentTask.newBuilder().setTask(held.run().getTask()).setFramework(held.run().getFramework())
          .setLatestStatus(held.latest()).build());
    }
    out.onNext(AgentMessage.newBuilder().setRegister(RegisterAgent.newBuilder()
        .setInfo(info.toBuilder().setAgentId(agentId)).addAllTasks(report)).build());
  }

  private void handle(long seq, MasterMessage message) {
    if (seq != streamSeq || closed) {
      return;
    }
    switch (message.getKindCase()) {
      case REGISTERED -> {
        agentId = message.getRegistered().getAgentId();
        long interval = Math.max(50, (long) (message.getRegistered().getHeartbeatIntervalSeconds() * 1000));
        stopTimers();
        heartbeat = thread.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
        resend = thread.scheduleAtFixedRate(this::resendUnacked, resendMillis, resendMillis, TimeUnit.MILLISECONDS);
        registered.complete(agentId);
      }
      case RUN_TASK -> {
        RunTask run = message.getRunTask();
        tasks.put(run.getTask().getTaskId(), new Held(run, TaskStatus.getDefaultInstance()));
        update(run, TaskState.TASK_RUNNING, StatusReason.REASON_UNSPECIFIED);
      }
      case KILL_TASK -> {
        Held held = tasks.get(message.getKillTask().getTaskId());
        if (held != null) {
          update(held.run(), TaskState.TASK_KILLED, StatusReason.REASON_TASK_KILLED);
        }
      }
      case ACKNOWLEDGEMENT -> {
        TaskStatus acked = unacked.remove(message.getAcknowledgement().getUuid());
        if (acked != null && TaskLifecycle.isTerminal(acked.getState())) {
          tasks.remove(acked.getTaskId());
        }
      }
      case REJECTED, SHUTDOWN, HEARTBEAT, KIND_NOT_SET -> { }
    }
  }

  private void update(RunTask run, TaskState state, StatusReason reason) {
    TaskStatus status = TaskStatus.newBuilder()
        .setTaskId(run.getTask().getTaskId())
        .setFrameworkId(run.getFramework().getFrameworkId())
        .setAgentId(agentId)
        .setState(state)
        .setReason(reason)
        .setSource(StatusSource.SOURCE_AGENT)
        .setUuid(UUID.randomUUID().toString())
        .build();
    tasks.put(status.getTaskId(), new Held(run, status));
    unacked.put(status.getUuid(), status);
    send(AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(status)).build());
  }

  private void resendUnacked() {
    for (TaskStatus status : unacked.values()) {
      send(AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(status)).build());
    }
  }

  private void heartbeat() {
    if (heartbeats) {
      send(AgentMessage.newBuilder().setHeartbeat(AgentHeartbeat.newBuilder()
          .setSentAtMillis(System.currentTimeMillis())).build());
    }
  }

  private void send(AgentMessage message) {
    if (out != null) {
      out.onNext(message);
    }
  }

  private void streamEnded(long seq) {
    if (seq != streamSeq || closed) {
      return;
    }
    out = null;
    stopTimers();
    if (reconnect) {
      thread.schedule(() -> {
        if (!closed && reconnect && out == null) {
          openStream();
        }
      }, 100, TimeUnit.MILLISECONDS);
    }
  }

  private void stopTimers() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (resend != null) {
      resend.cancel(false);
    }
  }

  /** From gRPC threads; after {@link #close} there is nothing left to tell. */
  private void hop(Runnable work) {
    if (!closed) {
      try {
        thread.execute(work);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  private <T> CompletableFuture<T> onThread(java.util.concurrent.Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    thread.execute(() -> {
      try {
        result.complete(work.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  @Override
  public void close() {
    onThread(() -> {
      closed = true;
      reconnect = false;
      stopTimers();
      if (out != null) {
        out.onCompleted();
        out = null;
      }
      return null;
    }).join();
    thread.shutdownNow();
  }
}

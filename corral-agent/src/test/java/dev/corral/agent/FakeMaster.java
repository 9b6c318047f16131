package dev.corral.agent;

import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentRegistered;
import dev.corral.api.v1.AgentRejected;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.KillTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.RunTask;
import dev.corral.api.v1.ShutdownAgent;
import dev.corral.api.v1.StatusAcknowledgement;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A master for tests: an in-process gRPC server that records what agents send, answers registrations and
 * lets the test send RunTask, KillTask, acknowledgements, or drop the stream. Thread-safe.
 */
final class FakeMaster implements AutoCloseable {
  static final FrameworkInfo FRAMEWORK =
      FrameworkInfo.newBuilder().setFrameworkId("fw-1").setName("test").setRole("*").build();

  private final String name = "fake-master-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel;
  private final List<AgentMessage> received = new ArrayList<>(); // guarded by this
  private StreamObserver<MasterMessage> current; // guarded by this
  private volatile String assignId = "agent-1";
  private volatile boolean autoAck;
  private final AtomicInteger rejectNext = new AtomicInteger();
  private volatile long epoch;
  /** What {@code ReadSecrets} answers, to any agent for any task. */
  final java.util.Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();
  final List<dev.corral.api.v1.ReadSecretsRequest> secretReads = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeMaster() throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new Service()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  ManagedChannel channel() {
    return channel;
  }

  void autoAck(boolean value) {
    autoAck = value;
  }

  /** The leader epoch stamped on every message from now on (0 by default, as a master without election). */
  void epoch(long value) {
    epoch = value;
  }

  private MasterMessage stamped(MasterMessage m) {
    return m.toBuilder().setLeaderEpoch(epoch).build();
  }

  void rejectNext(int count) {
    rejectNext.set(count);
  }

  synchronized List<AgentMessage> received() {
    return new ArrayList<>(received);
  }

  List<RegisterAgent> registrations() {
    List<RegisterAgent> out = new ArrayList<>();
    received().stream().filter(AgentMessage::hasRegister).forEach(m -> out.add(m.getRegister()));
    return out;
  }

  List<TaskStatus> statuses(String taskId) {
    List<TaskStatus> out = new ArrayList<>();
    for (AgentMessage m : received()) {
      if (m.hasStatusUpdate() && m.getStatusUpdate().getStatus().getTaskId().equals(taskId)) {
        out.add(m.getStatusUpdate().getStatus());
      }
    }
    return out;
  }

  long heartbeats() {
    return received().stream().filter(AgentMessage::hasHeartbeat).count();
  }

  /** Waits for the first update of the task in this state. */
  TaskStatus awaitStatus(String taskId, TaskState state, Duration timeout) {
    TaskStatus[] found = new TaskStatus[1];
    await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (TaskStatus s : statuses(taskId)) {
        if (s.getState() == state) {
          found[0] = s;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  void awaitConnected(Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(this::connected);
  }

  synchronized boolean connected() {
    return current != null;
  }

  synchronized void send(MasterMessage message) {
    if (current == null) {
      throw new IllegalStateException("no agent connected");
    }
    current.onNext(stamped(message));
  }

  void runTask(TaskInfo task) {
    send(MasterMessage.newBuilder().setRunTask(RunTask.newBuilder().setTask(task).setFramework(FRAMEWORK)).build());
  }

  void runTaskGroup(dev.corral.api.v1.TaskGroupInfo group) {
    send(MasterMessage.newBuilder().setRunTaskGroup(dev.corral.api.v1.RunTaskGroup.newBuilder().setGroup(group)
        .setFramework(FRAMEWORK)).build());
  }

  void kill(String taskId, Double graceSeconds) {
    KillTask.Builder k = KillTask.newBuilder().setTaskId(taskId).setFrameworkId(FRAMEWORK.getFrameworkId());
    if (graceSeconds != null) {
      k.setGracePeriodSeconds(graceSeconds);
    }
    send(MasterMessage.newBuilder().setKillTask(k).build());
  }

  void ack(TaskStatus status) {
    send(MasterMessage.newBuilder().setAcknowledgement(
        StatusAcknowledgement.newBuilder().setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
  }

  void shutdownAgent(String reason) {
    send(MasterMessage.newBuilder().setShutdown(ShutdownAgent.newBuilder().setReason(reason)).build());
  }

  /** Fails the current stream, as a master crash or network error would. */
  synchronized void dropStream() {
    if (current != null) {
      current.onError(Status.UNAVAILABLE.withDescription("test drops the stream").asRuntimeException());
      current = null;
    }
  }

  @Override
  public void close() {
    dropStream();
    channel.shutdownNow();
    server.shutdownNow();
  }

  private synchronized void onAgentMessage(StreamObserver<MasterMessage> out, AgentMessage m) {
    received.add(m);
    if (m.hasRegister()) {
      if (rejectNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        out.onNext(MasterMessage.newBuilder().setRejected(AgentRejected.newBuilder().setReason("test")).build());
        return;
      }
      current = out;
      String id = m.getRegister().getInfo().getAgentId().isEmpty() ? assignId : m.getRegister().getInfo().getAgentId();
      out.onNext(stamped(MasterMessage.newBuilder().setRegistered(
          AgentRegistered.newBuilder().setAgentId(id).setHeartbeatIntervalSeconds(5)).build()));
    } else if (m.hasStatusUpdate() && autoAck && !m.getStatusUpdate().getStatus().getUuid().isEmpty()) {
      TaskStatus s = m.getStatusUpdate().getStatus();
      out.onNext(stamped(MasterMessage.newBuilder().setAcknowledgement(
          StatusAcknowledgement.newBuilder().setTaskId(s.getTaskId()).setUuid(s.getUuid())).build()));
    }
  }

  private synchronized void onAgentGone(StreamObserver<MasterMessage> out, boolean completed) {
    if (current == out) {
      current = null;
    }
    if (completed) {
      try {
        out.onCompleted();
      } catch (RuntimeException e) {
        // already closed
      }
    }
  }

  private final class Service extends AgentChannelGrpc.AgentChannelImplBase {
    @Override
    public void readSecrets(dev.corral.api.v1.ReadSecretsRequest request,
        StreamObserver<dev.corral.api.v1.ReadSecretsReply> reply) {
      dev.corral.api.v1.ReadSecretsReply.Builder out = dev.corral.api.v1.ReadSecretsReply.newBuilder();
      secrets.forEach((path, value) -> out.putValues(path, com.google.protobuf.ByteString.copyFromUtf8(value)));
      secretReads.add(request);
      reply.onNext(out.build());
      reply.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<MasterMessage> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage m) {
          onAgentMessage(out, m);
        }

        @Override
        public void onError(Throwable t) {
          onAgentGone(out, false);
        }

        @Override
        public void onCompleted() {
          onAgentGone(out, true);
        }
      };
    }
  }
}

package dev.corral.sim;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentRegistered;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.KillTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.RunTask;
import dev.corral.api.v1.ShutdownAgent;
import dev.corral.api.v1.StatusAcknowledgement;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A master for the harness's own tests: the agent side of {@code AgentChannel} answered by a script. It
 * registers every agent (keeping the id an agent brings), records what each sends, acknowledges updates
 * when told to, and lets the test send RunTask, KillTask, ShutdownAgent or end a stream. Thread-safe.
 */
final class ScriptedMaster extends AgentChannelGrpc.AgentChannelImplBase implements AutoCloseable {
  static final String FRAMEWORK_ID = "fw-1";

  /** One agent as the master sees it. */
  static final class Peer {
    final String agentId;
    final List<RegisterAgent> registrations = new ArrayList<>();
    final List<TaskStatus> updates = new ArrayList<>();
    int heartbeats;
    StreamObserver<MasterMessage> stream;
    int streamsEnded;

    Peer(String agentId) {
      this.agentId = agentId;
    }
  }

  private final String name = "scripted-master-" + UUID.randomUUID();
  private final Server server;
  final ManagedChannel channel;
  private final Map<String, Peer> peers = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final double heartbeatSeconds;
  private volatile boolean autoAck;

  ScriptedMaster(double heartbeatSeconds) throws IOException {
    this.heartbeatSeconds = heartbeatSeconds;
    this.server = InProcessServerBuilder.forName(name).directExecutor().addService(this).build().start();
    this.channel = InProcessChannelBuilder.forName(name).build();
  }

  /** Acknowledge every update with a uuid as soon as it arrives (as a healthy scheduler would). */
  void autoAck(boolean on) {
    autoAck = on;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<MasterMessage> responses) {
    return new StreamObserver<>() {
      private Peer peer;

      @Override
      public void onNext(AgentMessage message) {
        synchronized (ScriptedMaster.this) {
          if (message.hasRegister()) {
            String id = message.getRegister().getInfo().getAgentId();
            if (id.isEmpty()) {
              id = "agent-" + ids.incrementAndGet();
            }
            peer = peers.computeIfAbsent(id, Peer::new);
            peer.registrations.add(message.getRegister());
            peer.stream = responses;
            responses.onNext(MasterMessage.newBuilder().setRegistered(AgentRegistered.newBuilder()
                .setAgentId(id).setHeartbeatIntervalSeconds(heartbeatSeconds).setMasterId("scripted")).build());
          } else if (message.hasHeartbeat()) {
            peer.heartbeats++;
          } else if (message.hasStatusUpdate()) {
            TaskStatus status = message.getStatusUpdate().getStatus();
            peer.updates.add(status);
            if (autoAck && !status.getUuid().isEmpty()) {
              responses.onNext(ack(status));
            }
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        ended();
      }

      @Override
      public void onCompleted() {
        ended();
        responses.onCompleted();
      }

      private void ended() {
        synchronized (ScriptedMaster.this) {
          if (peer != null && peer.stream == responses) {
            peer.stream = null;
            peer.streamsEnded++;
          }
        }
      }
    };
  }

  synchronized Peer peer(String agentId) {
    return peers.get(agentId);
  }

  synchronized int registeredPeers() {
    return peers.size();
  }

  synchronized List<TaskStatus> updates(String agentId) {
    Peer p = peers.get(agentId);
    return p == null ? List.of() : List.copyOf(p.updates);
  }

  synchronized int heartbeats(String agentId) {
    Peer p = peers.get(agentId);
    return p == null ? 0 : p.heartbeats;
  }

  synchronized List<RegisterAgent> registrations(String agentId) {
    Peer p = peers.get(agentId);
    return p == null ? List.of() : List.copyOf(p.registrations);
  }

  synchronized boolean connected(String agentId) {
    Peer p = peers.get(agentId);
    return p != null && p.stream != null;
  }

  synchronized void runTask(String agentId, String taskId) {
    send(agentId, MasterMessage.newBuilder().setRunTask(RunTask.newBuilder()
        .setTask(TaskInfo.newBuilder().setTaskId(taskId).setName(taskId).setAgentId(agentId))
        .setFramework(FrameworkInfo.newBuilder().setFrameworkId(FRAMEWORK_ID).setName("test"))).build());
  }

  synchronized void kill(String agentId, String taskId) {
    send(agentId, MasterMessage.newBuilder().setKillTask(KillTask.newBuilder().setTaskId(taskId)
        .setFrameworkId(FRAMEWORK_ID)).build());
  }

  synchronized void acknowledge(String agentId, TaskStatus status) {
    send(agentId, ack(status));
  }

  synchronized void shutdown(String agentId) {
    send(agentId, MasterMessage.newBuilder().setShutdown(ShutdownAgent.newBuilder().setReason("removed")).build());
  }

  /** Ends the agent's stream as a master restart would (UNAVAILABLE). */
  synchronized void dropStream(String agentId) {
    Peer p = peers.get(agentId);
    StreamObserver<MasterMessage> s = p.stream;
    p.stream = null;
    p.streamsEnded++;
    s.onError(Status.UNAVAILABLE.withDescription("master restarts").asRuntimeException());
  }

  private void send(String agentId, MasterMessage message) {
    Peer p = peers.get(agentId);
    if (p == null || p.stream == null) {
      throw new IllegalStateException("agent " + agentId + " is not connected");
    }
    p.stream.onNext(message);
  }

  private static MasterMessage ack(TaskStatus status) {
    return MasterMessage.newBuilder().setAcknowledgement(StatusAcknowledgement.newBuilder()
        .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}

package dev.corral.master;

import com.google.protobuf.ByteString;
import dev.corral.api.v1.ReadSecretsReply;
import dev.corral.api.v1.ReadSecretsRequest;
import dev.corral.api.v1.SecretRef;
import dev.corral.state.SecretStore;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Answers an agent's {@code ReadSecrets}: the values of the secrets a task references, for the agent that
 * runs it and for nobody else. The task is looked up on the master's loop; the store is read on a small
 * pool of its own (bounded: a burst of launches queues there, and beyond its queue an agent is told to
 * retry), never on the loop and never blocking a gRPC thread.
 */
final class TaskSecrets implements AutoCloseable {
  /** Why a request is refused; the agent fails the task with it. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private static final int READERS = 2;
  private static final int QUEUED = 10_000;

  private final MasterState state;
  private final Gate gate;
  private final SecretStore secrets;
  private final ThreadPoolExecutor readers = new ThreadPoolExecutor(READERS, READERS, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(QUEUED), r -> {
        Thread t = new Thread(r, "master-secret-reader");
        t.setDaemon(true);
        return t;
      });

  TaskSecrets(MasterState state, Gate gate, SecretStore secrets) {
    this.state = state;
    this.gate = gate;
    this.secrets = secrets;
    readers.allowCoreThreadTimeOut(true);
  }

  /** The values, or a failure with {@link Refused} (the task is not that agent's, or the master is busy). */
  CompletableFuture<ReadSecretsReply> read(ReadSecretsRequest request) {
    CompletableFuture<ReadSecretsReply> out = new CompletableFuture<>();
    gate.postOrElse(() -> {
      Set<String> wanted = sourcesOf(request);
      if (wanted == null) {
        out.completeExceptionally(new Refused("task " + request.getTaskId() + " is not one the master launched on"
            + " agent " + request.getAgentId()));
        return;
      }
      try {
        readers.execute(() -> {
          try {
            out.complete(values(wanted));
          } catch (RuntimeException e) {
            out.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        out.completeExceptionally(new Refused("the master has " + QUEUED + " secret reads queued; retry"));
      }
    }, () -> out.completeExceptionally(new Refused("the master is shutting down")));
    return out;
  }

  private ReadSecretsReply values(Set<String> wanted) {
    ReadSecretsReply.Builder reply = ReadSecretsReply.newBuilder();
    for (String source : wanted) {
      secrets.get(source).ifPresent(value -> reply.putValues(source, ByteString.copyFrom(value)));
    }
    return reply.build();
  }

  /** The task's secret paths, when it is on that agent; null otherwise. Runs on the loop. */
  private Set<String> sourcesOf(ReadSecretsRequest request) {
    TaskKey key = state.taskIds.get(request.getTaskId());
    Task task = key == null ? null : state.tasks.get(key);
    if (task == null || !task.agentId.equals(request.getAgentId())) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (SecretRef ref : task.info.getSecretsList()) {
      out.add(ref.getSource());
    }
    return out;
  }

  @Override
  public void close() {
    readers.shutdownNow();
  }
}

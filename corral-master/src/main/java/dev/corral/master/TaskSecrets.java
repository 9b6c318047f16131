package dev.corral.master;

import com.google.protobuf.ByteString;
import dev.corral.api.v1.ReadSecretsReply;
import dev.corral.api.v1.ReadSecretsRequest;
import dev.corral.api.v1.SecretRef;
import dev.corral.state.SecretStore;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers an agent's {@code ReadSecrets}: the values of the secrets a task references, for the agent that
 * runs it and for nobody else. The task is looked up on the master's loop; the store is read on the calling
 * gRPC thread, never on the loop.
 */
final class TaskSecrets {
  /** Why a request is refused; the agent fails the task with it. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final MasterState state;
  private final Gate gate;
  private final SecretStore secrets;

  TaskSecrets(MasterState state, Gate gate, SecretStore secrets) {
    this.state = state;
    this.gate = gate;
    this.secrets = secrets;
  }

  /** Blocks the calling (gRPC) thread for the loop's lookup and the store's reads. */
  ReadSecretsReply read(ReadSecretsRequest request) throws Refused, InterruptedException {
    CompletableFuture<Set<String>> sources = new CompletableFuture<>();
    gate.postOrElse(() -> sources.complete(sourcesOf(request)),
        () -> sources.completeExceptionally(new Refused("the master is shutting down")));
    Set<String> wanted;
    try {
      wanted = sources.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Refused r ? r : new Refused(String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      throw new Refused("the master did not look the task up in time");
    }
    if (wanted == null) {
      throw new Refused("task " + request.getTaskId() + " is not one the master launched on agent "
          + request.getAgentId());
    }
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
}

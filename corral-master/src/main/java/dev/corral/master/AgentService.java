package dev.corral.master;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.ReadSecretsReply;
import dev.corral.api.v1.ReadSecretsRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code AgentChannel}: turns each stream into loop events for {@link AgentProtocol}. gRPC threads only
 * post; they never touch master state. Every message to an agent carries this master's leader epoch, so
 * that agents can refuse a master that has been deposed.
 */
final class AgentService extends AgentChannelGrpc.AgentChannelImplBase {
  private final Gate gate;
  private final AgentProtocol protocol;

  private final long leaderEpoch;
  private final TaskSecrets secrets;

  AgentService(Gate gate, AgentProtocol protocol, long leaderEpoch, TaskSecrets secrets) {
    this.gate = gate;
    this.protocol = protocol;
    this.leaderEpoch = leaderEpoch;
    this.secrets = secrets;
  }

  @Override
  public void readSecrets(ReadSecretsRequest request, StreamObserver<ReadSecretsReply> reply) {
    secrets.read(request).whenComplete((values, failure) -> {
      if (failure == null) {
        reply.onNext(values);
        reply.onCompleted();
        return;
      }
      Status status = failure instanceof TaskSecrets.Refused ? Status.PERMISSION_DENIED : Status.UNAVAILABLE;
      reply.onError(status.withDescription(String.valueOf(failure.getMessage())).asRuntimeException());
    });
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<MasterMessage> responses) {
    GrpcLink<MasterMessage> link = new GrpcLink<>(responses,
        leaderEpoch == 0 ? m -> m : m -> m.toBuilder().setLeaderEpoch(leaderEpoch).build());
    link.onCancel(() -> gate.post(() -> protocol.streamEnded(link)));
    return new StreamObserver<>() {
      @Override
      public void onNext(AgentMessage message) {
        gate.postOrElse(() -> protocol.received(link, message),
            () -> link.close(Status.UNAVAILABLE.withDescription("the master is shutting down")));
      }

      @Override
      public void onError(Throwable t) {
        gate.post(() -> protocol.streamEnded(link));
      }

      @Override
      public void onCompleted() {
        gate.post(() -> {
          protocol.streamEnded(link);
          link.close(Status.OK);
        });
      }
    };
  }
}

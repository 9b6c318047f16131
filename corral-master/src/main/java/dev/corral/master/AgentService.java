package dev.corral.master;

import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.MasterMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code AgentChannel}: turns each stream into loop events for {@link AgentProtocol}. gRPC threads only
 * post; they never touch master state.
 */
final class AgentService extends AgentChannelGrpc.AgentChannelImplBase {
  private final Gate gate;
  private final AgentProtocol protocol;

  AgentService(Gate gate, AgentProtocol protocol) {
    this.gate = gate;
    this.protocol = protocol;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<MasterMessage> responses) {
    GrpcLink<MasterMessage> link = new GrpcLink<>(responses);
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

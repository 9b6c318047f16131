package dev.corral.master;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Link} over a gRPC server stream. gRPC's observer is not thread-safe: after construction (on a
 * gRPC thread, before the handler returns) only the event loop touches it, which also orders the writes.
 */
final class GrpcLink<M> implements Link<M> {
  private static final Logger log = LoggerFactory.getLogger(GrpcLink.class);

  private final StreamObserver<M> out;
  private boolean closed;

  GrpcLink(StreamObserver<M> out) {
    this.out = out;
  }

  /**
   * Runs {@code handler} (on a gRPC thread) when the peer cancels. Must be called before the service method
   * returns. Having a handler also makes writes after a cancellation no-ops instead of exceptions.
   */
  void onCancel(Runnable handler) {
    if (out instanceof ServerCallStreamObserver<M> call) {
      call.setOnCancelHandler(handler);
    }
  }

  @Override
  public void send(M message) {
    if (closed) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      // The call ended under us (e.g. the transport went away); the cancel handler reports it.
      closed = true;
      log.debug("dropping a message to a stream that ended: {}", e.toString());
    }
  }

  @Override
  public void close(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (status.isOk()) {
        out.onCompleted();
      } else {
        out.onError(status.asRuntimeException());
      }
    } catch (RuntimeException e) {
      log.debug("closing a stream that already ended: {}", e.toString());
    }
  }
}

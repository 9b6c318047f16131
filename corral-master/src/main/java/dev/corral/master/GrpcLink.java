package dev.corral.master;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Link} over a gRPC server stream. gRPC's observer is not thread-safe; in practice one thread writes
 * to it (the event loop, or for a subscription the {@link FrameworkSender}), which also orders the writes,
 * except for refusing work once the master is closed, so the two methods synchronize on the link for that
 * corner (uncontended otherwise).
 */
final class GrpcLink<M> implements Link<M> {
  private static final Logger log = LoggerFactory.getLogger(GrpcLink.class);

  private final StreamObserver<M> out;
  private final UnaryOperator<M> stamp;
  private boolean closed;

  GrpcLink(StreamObserver<M> out) {
    this(out, m -> m);
  }

  /** {@code stamp} completes each message before it goes out (the leader epoch on agent streams). */
  GrpcLink(StreamObserver<M> out, UnaryOperator<M> stamp) {
    this.out = out;
    this.stamp = stamp;
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
  public synchronized void send(M message) {
    if (closed) {
      return;
    }
    try {
      out.onNext(stamp.apply(message));
    } catch (RuntimeException e) {
      // The call ended under us (e.g. the transport went away); the cancel handler reports it.
      closed = true;
      log.debug("dropping a message to a stream that ended: {}", e.toString());
    }
  }

  @Override
  public synchronized void close(Status status) {
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

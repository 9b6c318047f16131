package dev.corral.master;

import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.CallAck;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.KillCall;
import dev.corral.api.v1.ReconcileCall;
import dev.corral.api.v1.ReviveCall;
import dev.corral.api.v1.SchedulerChannelGrpc;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.SubscribeRequest;
import dev.corral.api.v1.SuppressCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SchedulerChannel}: the subscription stream and the unary calls, each turned into a loop event.
 * A unary call is answered only after the loop processed it, so a framework that sees its ACCEPT return
 * knows the launch was recorded (and its RunTask sent).
 */
final class SchedulerService extends SchedulerChannelGrpc.SchedulerChannelImplBase {
  private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);
  private static final CallAck ACK = CallAck.getDefaultInstance();
  private static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("the master is shutting down");

  private final Gate gate;
  private final FrameworkSender sender;
  private final Subscriptions subscriptions;
  private final OfferCalls offerCalls;
  private final TaskCalls taskCalls;

  SchedulerService(Gate gate, FrameworkSender sender, Subscriptions subscriptions, OfferCalls offerCalls,
      TaskCalls taskCalls) {
    this.gate = gate;
    this.sender = sender;
    this.subscriptions = subscriptions;
    this.offerCalls = offerCalls;
    this.taskCalls = taskCalls;
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<SchedulerEvent> events) {
    GrpcLink<SchedulerEvent> stream = new GrpcLink<>(events);
    Link<SchedulerEvent> link = sender.serial(stream);
    stream.onCancel(() -> gate.post(() -> subscriptions.streamEnded(link)));
    gate.postOrElse(() -> subscriptions.subscribe(link, request.getFramework()), () -> link.close(SHUTTING_DOWN));
  }

  @Override
  public void accept(AcceptCall call, StreamObserver<CallAck> out) {
    urgent(out, () -> offerCalls.accept(call));
  }

  @Override
  public void decline(DeclineCall call, StreamObserver<CallAck> out) {
    urgent(out, () -> offerCalls.decline(call));
  }

  @Override
  public void revive(ReviveCall call, StreamObserver<CallAck> out) {
    urgent(out, () -> offerCalls.revive(call.getFrameworkId()));
  }

  @Override
  public void suppress(SuppressCall call, StreamObserver<CallAck> out) {
    urgent(out, () -> offerCalls.suppress(call.getFrameworkId()));
  }

  @Override
  public void kill(KillCall call, StreamObserver<CallAck> out) {
    urgent(out, () -> taskCalls.kill(call));
  }

  @Override
  public void acknowledge(AcknowledgeCall call, StreamObserver<CallAck> out) {
    unary(out, () -> taskCalls.acknowledge(call));
  }

  @Override
  public void reconcile(ReconcileCall call, StreamObserver<CallAck> out) {
    unary(out, () -> taskCalls.reconcile(call));
  }

  /**
   * Launches, kills and offer answers go ahead of queued work: they are few, and a launch queued behind the
   * registrations of thousands of agents after a failover waited seconds. Acknowledgements and
   * reconciliation, which come by the hundred thousand then, keep their place.
   */
  private void urgent(StreamObserver<CallAck> out, Runnable work) {
    unary(out, work, true);
  }

  private void unary(StreamObserver<CallAck> out, Runnable work) {
    unary(out, work, false);
  }

  private void unary(StreamObserver<CallAck> out, Runnable work, boolean urgent) {
    Runnable item = () -> {
      try {
        work.run();
        out.onNext(ACK);
        out.onCompleted();
      } catch (StatusRuntimeException e) {
        out.onError(e);
      } catch (RuntimeException e) {
        log.error("scheduler call failed", e);
        out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      }
    };
    Runnable refused = () -> out.onError(SHUTTING_DOWN.asRuntimeException());
    if (urgent) {
      gate.postUrgentOrElse(item, refused);
    } else {
      gate.postOrElse(item, refused);
    }
  }
}

package dev.corral.master;

import io.grpc.Status;
import java.util.function.Supplier;

/**
 * The master's end of one stream: to an agent ({@code Link<MasterMessage>}) or to a subscribed framework
 * ({@code Link<SchedulerEvent>}). The domain code keeps links by identity to tell a current stream from one
 * that was replaced. Called on the loop thread; a link may write from another one, in the order it was called
 * ({@link FrameworkSender}).
 */
interface Link<M> {

  /** Sends one message; silently dropped once the stream has ended. */
  void send(M message);

  /**
   * Sends the message {@code message} makes. A link written from another thread makes it there, so the
   * supplier may read only what does not change afterwards.
   */
  default void sendBuilt(Supplier<M> message) {
    send(message.get());
  }

  /** Ends the stream: {@link Status#OK} completes it, any other status fails it. Idempotent. */
  void close(Status status);
}

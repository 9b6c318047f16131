package dev.corral.master;

import io.grpc.Status;

/**
 * The master's end of one stream: to an agent ({@code Link<MasterMessage>}) or to a subscribed framework
 * ({@code Link<SchedulerEvent>}). The domain code keeps links by identity to tell a current stream from one
 * that was replaced. Loop thread only.
 */
interface Link<M> {

  /** Sends one message; silently dropped once the stream has ended. */
  void send(M message);

  /** Ends the stream: {@link Status#OK} completes it, any other status fails it. Idempotent. */
  void close(Status status);
}

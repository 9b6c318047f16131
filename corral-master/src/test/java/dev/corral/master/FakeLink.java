package dev.corral.master;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A {@link Link} that records what the master sends; for unit tests on a ManualEventLoop. */
final class FakeLink<M> implements Link<M> {
  final List<M> sent = new ArrayList<>();
  Status closedWith;

  @Override
  public void send(M message) {
    if (closedWith == null) {
      sent.add(message);
    }
  }

  @Override
  public void close(Status status) {
    if (closedWith == null) {
      closedWith = status;
    }
  }

  boolean isClosed() {
    return closedWith != null;
  }

  List<M> matching(Predicate<M> p) {
    return sent.stream().filter(p).collect(Collectors.toList());
  }

  void clear() {
    sent.clear();
  }
}

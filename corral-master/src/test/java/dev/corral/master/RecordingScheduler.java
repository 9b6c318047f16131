package dev.corral.master;

import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A {@link Scheduler} that records every callback, with waits for tests. Thread-safe. */
final class RecordingScheduler implements Scheduler {
  static final Duration WAIT = Duration.ofSeconds(10);

  final List<String> subscriptions = new CopyOnWriteArrayList<>();
  final List<Offer> offers = new CopyOnWriteArrayList<>();
  final List<String> rescinded = new CopyOnWriteArrayList<>();
  final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();

  @Override
  public void subscribed(String frameworkId) {
    subscriptions.add(frameworkId);
  }

  @Override
  public void offers(List<Offer> received) {
    offers.addAll(received);
  }

  @Override
  public void rescinded(String offerId) {
    rescinded.add(offerId);
  }

  @Override
  public void update(TaskStatus status) {
    updates.add(status);
  }

  @Override
  public void failure(String agentId, String message) {
    failures.add(agentId);
  }

  @Override
  public void disconnected(String reason) {}

  String awaitSubscribed(int count) {
    await().atMost(WAIT).until(() -> subscriptions.size() >= count);
    return subscriptions.get(count - 1);
  }

  /** The first offer received after {@code skip} offers, waiting for it. */
  Offer awaitOffer(int skip) {
    await().atMost(WAIT).until(() -> offers.size() > skip);
    return offers.get(skip);
  }

  TaskStatus awaitUpdate(String taskId, TaskState state) {
    return awaitUpdate(u -> u.getTaskId().equals(taskId) && u.getState() == state);
  }

  TaskStatus awaitUpdate(Predicate<TaskStatus> match) {
    await().atMost(WAIT).until(() -> find(match).isPresent());
    return find(match).orElseThrow();
  }

  private Optional<TaskStatus> find(Predicate<TaskStatus> match) {
    return updates.stream().filter(match).findFirst();
  }
}

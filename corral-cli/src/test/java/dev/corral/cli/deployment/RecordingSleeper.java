package dev.corral.cli.deployment;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Returns at once and remembers each pause it was asked for. */
public final class RecordingSleeper implements Sleeper {
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(Duration duration) {
    pauses.add(duration);
  }

  public List<Duration> pauses() {
    return List.copyOf(pauses);
  }
}

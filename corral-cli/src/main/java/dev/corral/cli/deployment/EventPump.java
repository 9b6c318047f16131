package dev.corral.cli.deployment;

import dev.corral.cli.http.EventStream;
import dev.corral.cli.http.ServerSentEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads an event stream on its own daemon thread into a bounded queue, so that the watcher can wait for the
 * next event with a time limit (a blocking read has none) and look at the deployment list meanwhile. When the
 * stream ends or breaks, {@link #END} is queued. Closing stops the reader.
 */
final class EventPump implements AutoCloseable {
  /** Queued once the stream has ended; compared by identity. */
  static final ServerSentEvent END = new ServerSentEvent("", "");

  private final EventStream stream;
  private final BlockingQueue<ServerSentEvent> queue;
  private final Thread reader;

  private EventPump(EventStream stream, int capacity) {
    this.stream = stream;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.reader = new Thread(this::pump, "corral-event-stream");
    reader.setDaemon(true);
  }

  static EventPump start(EventStream stream, int capacity) {
    EventPump pump = new EventPump(stream, capacity);
    pump.reader.start();
    return pump;
  }

  /** The next event, {@link #END}, or null when nothing came within {@code timeout}. */
  ServerSentEvent next(Duration timeout) throws InterruptedException {
    return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next event already queued, or null. */
  ServerSentEvent poll() {
    return queue.poll();
  }

  private void pump() {
    try {
      Optional<ServerSentEvent> event;
      while ((event = stream.next()).isPresent()) {
        queue.put(event.get()); // blocks while the queue is full: the server waits for us, memory stays bounded
      }
    } catch (IOException e) {
      // A broken stream ends like a closed one; the watcher goes on by polling.
    } catch (InterruptedException e) {
      return; // closed
    }
    // If the queue is full the watcher is busy draining it and rechecks the list when it runs dry.
    queue.offer(END);
  }

  @Override
  public void close() {
    reader.interrupt();
    try {
      stream.close();
    } catch (IOException e) {
      // Giving up on the stream anyway.
    }
  }
}

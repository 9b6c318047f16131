package dev.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameworkSenderTest {
  private final List<FrameworkSender> senders = new ArrayList<>();

  private FrameworkSender sender(int threads, int capacity) {
    FrameworkSender sender = new FrameworkSender("test-sender", threads, capacity);
    senders.add(sender);
    return sender;
  }

  @AfterEach
  void closeSenders() {
    senders.forEach(FrameworkSender::close);
  }

  /** Records what it is written and on which thread; thread-safe. */
  private static final class Recording implements Link<String> {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    volatile Status closedWith;

    @Override
    public void send(String message) {
      if (closedWith == null) {
        sent.add(message);
        threads.add(Thread.currentThread().getName());
      }
    }

    @Override
    public void close(Status status) {
      if (closedWith == null) {
        closedWith = status;
      }
    }
  }

  @Test
  void eachLinksEventsArriveInTheOrderSentAndAreBuiltOnTheSendersThreads() {
    FrameworkSender sender = sender(2, 1_000);
    Recording a = new Recording();
    Recording b = new Recording();
    Link<String> toA = sender.serial(a);
    Link<String> toB = sender.serial(b);
    List<String> expectedA = new ArrayList<>();
    List<String> expectedB = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String event = "e" + i;
      if (i % 3 == 0) {
        toA.sendBuilt(() -> event);
        expectedA.add(event);
      } else {
        toB.send(event);
        expectedB.add(event);
      }
    }
    sender.flush();
    assertThat(a.sent).containsExactlyElementsOf(expectedA);
    assertThat(b.sent).containsExactlyElementsOf(expectedB);
    assertThat(a.threads).allMatch(name -> name.startsWith("test-sender-"));
    assertThat(Collections.frequency(a.threads, a.threads.get(0))).as("one thread per link")
        .isEqualTo(a.threads.size());
    assertThat(b.threads.get(0)).as("links spread over the threads").isNotEqualTo(a.threads.get(0));
  }

  @Test
  void aCloseComesAfterWhatWasSentBeforeIt() {
    FrameworkSender sender = sender(1, 1_000);
    Recording link = new Recording();
    Link<String> serial = sender.serial(link);
    serial.send("one");
    serial.sendBuilt(() -> "two");
    serial.close(Status.UNAVAILABLE);
    serial.send("after");
    sender.flush();
    assertThat(link.sent).containsExactly("one", "two");
    assertThat(link.closedWith).isEqualTo(Status.UNAVAILABLE);
  }

  @Test
  void aClosedSenderDropsEventsButStillEndsStreams() {
    FrameworkSender sender = sender(1, 1_000);
    Recording link = new Recording();
    Link<String> serial = sender.serial(link);
    serial.send("before");
    sender.close();
    assertThat(link.sent).as("queued events are written on close").containsExactly("before");
    serial.send("dropped");
    serial.sendBuilt(() -> "dropped too");
    serial.close(Status.UNAVAILABLE);
    sender.flush();
    assertThat(link.sent).containsExactly("before");
    assertThat(link.closedWith).isEqualTo(Status.UNAVAILABLE);
  }

  @Test
  void aFullQueueMakesTheSenderWaitAndLosesNothing() throws Exception {
    FrameworkSender sender = sender(1, 2);
    CountDownLatch release = new CountDownLatch(1);
    Recording link = new Recording();
    Link<String> serial = sender.serial(new Link<String>() {
      @Override
      public void send(String message) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        link.send(message);
      }

      @Override
      public void close(Status status) {
        link.close(status);
      }
    });
    CompletableFuture<Thread> caller = new CompletableFuture<>();
    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
      caller.complete(Thread.currentThread());
      for (int i = 0; i < 10; i++) {
        serial.send("e" + i);
      }
    });
    Thread callerThread = caller.get(10, TimeUnit.SECONDS);
    // One event is being written, two wait in the queue: the caller waits for room with the fourth.
    while (callerThread.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    assertThat(sent).isNotDone();
    release.countDown();
    sent.get(10, TimeUnit.SECONDS);
    sender.flush();
    assertThat(link.sent).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
  }
}

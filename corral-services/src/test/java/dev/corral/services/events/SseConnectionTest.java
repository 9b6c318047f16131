package dev.corral.services.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.FakeClock;
import dev.corral.common.Json;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer of one stream, on a fake non-blocking response: the test decides when the "client" takes bytes,
 * and drains run at once on the test's thread.
 */
class SseConnectionTest {
  private final EventBus bus = new EventBus(new FakeClock(), new EventBus.Limits(100, 3, 10));
  /** Never fires within a test: heartbeats are sent by calling heartbeat(). */
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private int ends;

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  /** A response that takes bytes only while ready, as a servlet container's non-blocking output does. */
  private static final class FakeOutput extends ServletOutputStream {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    boolean ready = true;
    boolean fail;
    /** Each write or flush leaves the output busy until becomeReady(), like a slow network. */
    boolean busyAfterEachCall;
    int flushes;
    WriteListener listener;

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setWriteListener(WriteListener l) {
      listener = l;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (fail) {
        throw new IOException("Broken pipe");
      }
      written.write(b, off, len);
      ready = !busyAfterEachCall;
    }

    @Override
    public void flush() throws IOException {
      if (fail) {
        throw new IOException("Broken pipe");
      }
      flushes++;
      ready = !busyAfterEachCall;
    }

    String text() {
      return written.toString(StandardCharsets.UTF_8);
    }

    /** The container's part: the client read, the output can take more. */
    void becomeReady() {
      ready = true;
      try {
        listener.onWritePossible();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private SseConnection open(FakeOutput out) {
    SseConnection c = new SseConnection(Runnable::run, timer, Duration.ofHours(1), () -> ends++);
    c.subscribe(bus.subscribe(Set.of(), OptionalLong.empty(), c::wake));
    c.start(out);
    out.becomeReady(); // the container's first call
    return c;
  }

  private static ObjectNode payload(int i) {
    return Json.mapper().createObjectNode().put("i", i);
  }

  @Test
  void writesFramesAsTheyArriveAndFlushesEachBatch() {
    FakeOutput out = new FakeOutput();
    SseConnection c = open(out);
    assertThat(out.flushes).as("the headers go out at once").isEqualTo(1);

    Event e = bus.publish("status_update_event", payload(1));
    assertThat(out.text()).isEqualTo("event: status_update_event\ndata: " + e.json() + "\nid: " + e.id() + "\n\n");
    assertThat(out.flushes).isEqualTo(2);

    c.heartbeat();
    assertThat(out.text()).endsWith("\n\n:\n\n");
    assertThat(c.done()).isNotDone();
  }

  @Test
  void aClientThatStopsReadingIsCutWithAnOverflowNoticeOnceItCanTakeBytesAgain() {
    FakeOutput out = new FakeOutput();
    SseConnection c = open(out);
    Event first = bus.publish("status_update_event", payload(0));
    out.ready = false;
    for (int i = 1; i <= 5; i++) {
      bus.publish("status_update_event", payload(i));
    }
    assertThat(out.text()).doesNotContain("\"i\":1");

    out.becomeReady();

    assertThat(out.text()).doesNotContain("\"i\":1").contains("event: event_stream_overflow\ndata: ")
        .contains("\"lastEventId\":" + first.id()).endsWith("}\n\n");
    assertThat(out.text().substring(out.text().indexOf("event_stream_overflow"))).doesNotContain("\nid: ");
    assertThat(c.done()).isDone();
    assertThat(ends).isEqualTo(1);
    assertThat(bus.subscriberCount()).isZero();
  }

  @Test
  void theStreamEndsOnlyOnceTheLastNoticeIsWrittenAndFlushed() {
    FakeOutput out = new FakeOutput();
    SseConnection c = open(out);
    out.ready = false;
    for (int i = 0; i < 5; i++) {
      bus.publish("status_update_event", payload(i));
    }
    out.busyAfterEachCall = true;
    int flushes = out.flushes;

    out.becomeReady();
    assertThat(out.text()).contains("event_stream_overflow");
    assertThat(c.done()).as("written, not yet flushed").isNotDone();
    out.becomeReady();
    assertThat(out.flushes).isEqualTo(flushes + 1);
    assertThat(c.done()).as("flushed, but the output has not taken it yet").isNotDone();
    out.becomeReady();
    assertThat(c.done()).isDone();
    assertThat(ends).isEqualTo(1);
  }

  @Test
  void aWriteFailureEndsTheStreamOnce() {
    FakeOutput out = new FakeOutput();
    SseConnection c = open(out);
    out.fail = true;
    bus.publish("status_update_event", payload(1));
    c.heartbeat();
    c.onError(new IOException("gone"));

    assertThat(c.done()).isDone();
    assertThat(ends).isEqualTo(1);
    assertThat(bus.subscriberCount()).isZero();
  }
}
